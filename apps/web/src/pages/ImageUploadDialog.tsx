// Uploading an image's file (operators): tus-js-client sends it in 8 MiB pieces to
// /api/v1/uploads/<imageId>, so a cut connection or a closed tab resumes from the last byte the
// store has (tus asks with HEAD first); the server keeps the file only when its checksums match.
import type { SoftwareImage } from '@hitless/contracts';
import { useEffect, useRef, useState } from 'react';
import { DetailedError, Upload } from 'tus-js-client';
import { FormActions } from '../components/submit.tsx';
import { Banner, Dialog, Field } from '../components/ui.tsx';
import { humanSize } from './images-format.ts';

const CHUNK = 8 * 1024 * 1024;

/** The API's own message from a refused tus request, or the client's. */
function messageOf(err: Error): string {
  if (err instanceof DetailedError && err.originalResponse) {
    const text = err.originalResponse.getBody();
    try {
      return (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      return text || `the server answered ${err.originalResponse.getStatus()}`;
    }
  }
  return err.message;
}

type State =
  | { kind: 'idle' }
  | { kind: 'sending'; sent: number }
  | { kind: 'paused'; sent: number }
  | { kind: 'done' }
  | { kind: 'failed'; message: string };

export function ImageUploadDialog({
  image,
  onClose,
  onUploaded,
}: {
  image: SoftwareImage;
  onClose(): void;
  onUploaded(): void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const upload = useRef<Upload | null>(null);
  // Closing the dialog stops sending; what arrived stays, and the next upload resumes from it.
  useEffect(() => () => void upload.current?.abort(), []);

  const wrongSize = file && file.size !== image.sizeBytes;
  const start = () => {
    if (!file || wrongSize) return;
    const u = new Upload(file, {
      endpoint: '/api/v1/uploads',
      // The upload of an image is always at this address: tus asks how much arrived, then goes on.
      uploadUrl: `/api/v1/uploads/${image.id}`,
      metadata: { imageId: image.id, fileName: file.name },
      chunkSize: CHUNK,
      retryDelays: [0, 1000, 3000, 5000],
      storeFingerprintForResuming: false,
      onProgress: (sent) => setState({ kind: 'sending', sent }),
      onSuccess: () => {
        setState({ kind: 'done' });
        onUploaded();
      },
      onError: (err) => setState({ kind: 'failed', message: messageOf(err) }),
    });
    upload.current = u;
    setState({ kind: 'sending', sent: 0 });
    u.start();
  };
  const pause = () => {
    void upload.current?.abort();
    setState((s) => (s.kind === 'sending' ? { kind: 'paused', sent: s.sent } : s));
  };

  const sent = state.kind === 'sending' || state.kind === 'paused' ? state.sent : 0;
  const percent = Math.floor((sent / image.sizeBytes) * 100);
  return (
    <Dialog title={`Upload ${image.fileName}`} onClose={onClose}>
      <div className="form-grid">
        <p className="muted">
          The file must be {humanSize(image.sizeBytes)} ({image.sizeBytes.toLocaleString()} bytes) and match the
          image&apos;s registered{' '}
          {[image.sha256 && 'SHA-256', image.sha512 && 'SHA-512', image.md5 && 'MD5'].filter(Boolean).join(', ')}. A cut
          upload goes on from where it stopped.
        </p>
        {state.kind === 'failed' && <Banner kind="error">{state.message}</Banner>}
        {state.kind === 'done' && <Banner kind="success">{image.fileName} is stored; its checksums match.</Banner>}
        <Field
          label="Image file"
          required
          error={
            wrongSize ? `is ${file.size.toLocaleString()} bytes, not ${image.sizeBytes.toLocaleString()}` : undefined
          }
        >
          <input
            type="file"
            disabled={state.kind === 'sending'}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setState({ kind: 'idle' });
            }}
          />
        </Field>
        {(state.kind === 'sending' || state.kind === 'paused') && (
          <div className="upload-progress">
            <progress max={image.sizeBytes} value={sent} aria-label="Upload progress" />
            <span className="small-text" aria-live="polite">
              {state.kind === 'paused' ? 'Paused at' : 'Sent'} {humanSize(sent)} of {humanSize(image.sizeBytes)} (
              {percent}%)
            </span>
          </div>
        )}
        {state.kind === 'done' ? (
          <div className="actions">
            <button type="button" className="btn btn-primary" onClick={onClose}>
              Done
            </button>
          </div>
        ) : state.kind === 'sending' ? (
          <FormActions onCancel={onClose} busy={false} label="Pause" busyLabel="Pause" onSubmit={pause} />
        ) : (
          <FormActions
            onCancel={onClose}
            busy={false}
            label={state.kind === 'paused' ? 'Resume' : 'Upload'}
            busyLabel="Uploading…"
            disabled={!file || Boolean(wrongSize)}
            onSubmit={start}
          />
        )}
      </div>
    </Dialog>
  );
}
