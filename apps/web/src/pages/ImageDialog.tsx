// Add or change a software image: the fields checked with the API's own schema before sending,
// the server's answers (a clash on version or file name) shown on their field.
import {
  SoftwareImageCreate,
  SoftwareImageUpdate,
  VENDOR_LABELS,
  type SoftwareImage,
  type Vendor,
} from '@hitless/contracts';
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { Banner, Dialog, Field } from '../components/ui.tsx';
import { humanSize } from './images-format.ts';

type Form = Record<
  'vendor' | 'platformFamily' | 'version' | 'fileName' | 'sizeBytes' | 'sha256' | 'md5' | 'releaseDate' | 'notes',
  string
>;

function initial(i: SoftwareImage | null, preset?: { vendor: Vendor; platformFamily: string }): Form {
  return {
    vendor: i?.vendor ?? preset?.vendor ?? 'CISCO_IOSXE',
    platformFamily: i?.platformFamily ?? preset?.platformFamily ?? '',
    version: i?.version ?? '',
    fileName: i?.fileName ?? '',
    sizeBytes: i ? String(i.sizeBytes) : '',
    sha256: i?.sha256 ?? '',
    md5: i?.md5 ?? '',
    releaseDate: i?.releaseDate ?? '',
    notes: i?.notes ?? '',
  };
}

/** The form as the API's body: empty optional fields are null, the size a number when it reads as one. */
function bodyOf(f: Form) {
  const size = f.sizeBytes.trim().replace(/[\s,_]/g, '');
  return {
    vendor: f.vendor,
    platformFamily: f.platformFamily,
    version: f.version,
    fileName: f.fileName,
    sizeBytes: /^\d+$/.test(size) ? Number(size) : size === '' ? undefined : size,
    sha256: f.sha256.trim() || null,
    md5: f.md5.trim() || null,
    releaseDate: f.releaseDate || null,
    notes: f.notes.trim() || null,
  };
}

export function ImageDialog({
  image,
  preset,
  families,
  onClose,
  onSaved,
}: {
  image: SoftwareImage | null;
  preset?: { vendor: Vendor; platformFamily: string } | undefined;
  /** Families already registered, offered while typing. */
  families: string[];
  onClose(): void;
  onSaved(image: SoftwareImage, created: boolean): void;
}) {
  const [form, setForm] = useState<Form>(() => initial(image, preset));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof Form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const body = bodyOf(form);
  const size = typeof body.sizeBytes === 'number' && body.sizeBytes > 0 ? humanSize(body.sizeBytes) : undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    // The same schema the API enforces, so most mistakes show before a round trip.
    const parsed = image ? SoftwareImageUpdate.safeParse(body) : SoftwareImageCreate.safeParse(body);
    const fieldErrors: Record<string, string> = {};
    if (!parsed.success) for (const i of parsed.error.issues) fieldErrors[String(i.path[0])] ??= i.message;
    if (body.sizeBytes === undefined) fieldErrors.sizeBytes = 'is required';
    if (image && !body.sha256 && !body.md5) fieldErrors.sha256 ??= 'give a sha256 or an md5 checksum';
    if (!parsed.success || Object.keys(fieldErrors).length > 0) {
      setErrors(fieldErrors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = image
        ? await api.patch<SoftwareImage>(`/api/v1/images/${image.id}`, parsed.data)
        : await api.post<SoftwareImage>('/api/v1/images', parsed.data);
      onSaved(saved, !image);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const onFields = err.fieldErrors();
      setErrors(onFields);
      // A message already shown on its field is not repeated above the form.
      setFailure(Object.keys(onFields).length > 0 ? null : err.friendly);
    } finally {
      setBusy(false);
    }
  }

  const movesFamily =
    image?.golden &&
    (form.vendor !== image.vendor || form.platformFamily.trim().toLowerCase() !== image.platformFamily);
  return (
    <Dialog title={image ? `Edit image ${image.version}` : 'Add image'} onClose={onClose} wide>
      <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
        {failure && <Banner kind="error">{failure}</Banner>}
        <p className="muted small-text">Fields marked * are required, and a SHA-256 or an MD5 checksum.</p>
        <div className="row">
          <Field label="Vendor *" error={errors.vendor}>
            <select value={form.vendor} onChange={set('vendor')}>
              {(Object.keys(VENDOR_LABELS) as Vendor[]).map((v) => (
                <option key={v} value={v}>
                  {VENDOR_LABELS[v]}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="Platform family *"
            error={errors.platformFamily}
            hint={
              movesFamily ? 'Moving it to another family takes its golden mark off.' : 'c10k, asr1000, cat4500, mx…'
            }
          >
            <input
              value={form.platformFamily}
              onChange={set('platformFamily')}
              list="image-families"
              autoComplete="off"
            />
          </Field>
        </div>
        <div className="row">
          <Field label="Version *" error={errors.version}>
            <input value={form.version} onChange={set('version')} className="mono" placeholder="03.06.04.E" />
          </Field>
          <Field label="Release date" error={errors.releaseDate} hint="Used for the 18-month ISSU window.">
            <input type="date" value={form.releaseDate} onChange={set('releaseDate')} />
          </Field>
        </div>
        <div className="row">
          <Field label="File name *" error={errors.fileName}>
            <input value={form.fileName} onChange={set('fileName')} className="mono" autoComplete="off" />
          </Field>
          <Field label="Size in bytes *" error={errors.sizeBytes} hint={size}>
            <input value={form.sizeBytes} onChange={set('sizeBytes')} inputMode="numeric" className="mono" />
          </Field>
        </div>
        <Field label="SHA-256" error={errors.sha256} hint="64 hexadecimal characters.">
          <input value={form.sha256} onChange={set('sha256')} className="mono" autoComplete="off" spellCheck={false} />
        </Field>
        <Field label="MD5" error={errors.md5} hint="32 hexadecimal characters.">
          <input value={form.md5} onChange={set('md5')} className="mono" autoComplete="off" spellCheck={false} />
        </Field>
        <Field label="Notes" error={errors.notes}>
          <textarea value={form.notes} onChange={set('notes')} rows={2} />
        </Field>
        <datalist id="image-families">
          {families.map((f) => (
            <option key={f} value={f} />
          ))}
        </datalist>
        <div className="actions">
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Saving…' : image ? 'Save' : 'Add image'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Asks before deleting; a refusal (the image is in use) is shown as the server words it. */
export function DeleteImageDialog({
  image,
  onClose,
  onDeleted,
}: {
  image: SoftwareImage;
  onClose(): void;
  onDeleted(): void;
}) {
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function remove() {
    setBusy(true);
    setFailure(null);
    try {
      await api.delete(`/api/v1/images/${image.id}`);
      onDeleted();
    } catch (err) {
      setFailure(err instanceof ApiError ? err.friendly : 'the image could not be deleted');
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog title={`Delete image ${image.version}?`} onClose={onClose}>
      <p>
        <span className="mono">{image.fileName}</span> ({image.platformFamily}) is removed from the catalogue. An image
        a campaign or run uses, or that devices run, cannot be deleted.
      </p>
      {failure && <Banner kind="error">{failure}</Banner>}
      <div className="actions">
        <button type="button" className="btn btn-quiet" onClick={onClose}>
          {failure ? 'Back' : 'Cancel'}
        </button>
        <button
          type="button"
          className="btn btn-danger"
          disabled={busy || failure !== null}
          onClick={() => void remove()}
        >
          {busy ? 'Deleting…' : 'Delete image'}
        </button>
      </div>
    </Dialog>
  );
}
