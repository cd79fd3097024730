// Add or change a software image: the fields checked with the API's own schema before sending,
// the server's answers (a clash on version or file name) shown on their field.
import { SoftwareImageCreate, SoftwareImageUpdate, type SoftwareImage, type Vendor } from '@hitless/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { FormActions, fieldErrorsOf, useSubmit } from '../components/submit.tsx';
import { Banner, Dialog, Field } from '../components/ui.tsx';
import { humanSize } from './images-format.ts';
import { VendorOptions } from '../components/devices.tsx';

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
  const { busy, failure, errors, invalid, send } = useSubmit();
  const set = (k: keyof Form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const body = bodyOf(form);
  const size = typeof body.sizeBytes === 'number' && body.sizeBytes > 0 ? humanSize(body.sizeBytes) : undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    // The same schema the API enforces, so most mistakes show before a round trip.
    const parsed = image ? SoftwareImageUpdate.safeParse(body) : SoftwareImageCreate.safeParse(body);
    const found = parsed.success ? {} : fieldErrorsOf(parsed.error);
    if (body.sizeBytes === undefined) found.sizeBytes = 'is required';
    if (image && !body.sha256 && !body.md5) found.sha256 ??= 'give a sha256 or an md5 checksum';
    if (!parsed.success || Object.keys(found).length > 0) return invalid(found);
    // A message already shown on its field is not repeated above the form.
    await send(
      async () => {
        const saved = image
          ? await api.patch<SoftwareImage>(`/api/v1/images/${image.id}`, parsed.data)
          : await api.post<SoftwareImage>('/api/v1/images', parsed.data);
        onSaved(saved, !image);
      },
      { quietWhenOn: true },
    );
  }

  const movesFamily =
    image?.golden &&
    (form.vendor !== image.vendor || form.platformFamily.trim().toLowerCase() !== image.platformFamily);
  return (
    <Dialog title={image ? `Edit image ${image.version}` : 'Add image'} onClose={onClose} wide>
      <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
        {failure && <Banner kind="error">{failure}</Banner>}
        <p className="muted small-text">
          Fields marked <span className="field-required">*</span> are required, and a SHA-256 or an MD5 checksum.
        </p>
        <div className="row">
          <Field label="Vendor" required error={errors.vendor}>
            <select value={form.vendor} onChange={set('vendor')}>
              <VendorOptions />
            </select>
          </Field>
          <Field
            label="Platform family"
            required
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
          <Field label="Version" required error={errors.version}>
            <input value={form.version} onChange={set('version')} className="mono" placeholder="03.06.04.E" />
          </Field>
          <Field label="Release date" error={errors.releaseDate} hint="Used for the 18-month ISSU window.">
            <input type="date" value={form.releaseDate} onChange={set('releaseDate')} />
          </Field>
        </div>
        <div className="row">
          <Field label="File name" required error={errors.fileName}>
            <input value={form.fileName} onChange={set('fileName')} className="mono" autoComplete="off" />
          </Field>
          <Field label="Size in bytes" required error={errors.sizeBytes} hint={size}>
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
        <FormActions onCancel={onClose} busy={busy} label={image ? 'Save' : 'Add image'} busyLabel="Saving…" />
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
  const { busy, failure, send } = useSubmit();
  const remove = () =>
    void send(async () => {
      await api.delete(`/api/v1/images/${image.id}`);
      onDeleted();
    });
  return (
    <Dialog title={`Delete image ${image.version}?`} onClose={onClose}>
      <p>
        <span className="mono">{image.fileName}</span> ({image.platformFamily}) is removed from the catalogue. An image
        a campaign or run uses, or that devices run, cannot be deleted.
      </p>
      {failure && <Banner kind="error">{failure}</Banner>}
      <FormActions
        onCancel={onClose}
        cancelLabel={failure ? 'Back' : 'Cancel'}
        busy={busy}
        label="Delete image"
        busyLabel="Deleting…"
        danger
        disabled={failure !== null}
        onSubmit={remove}
      />
    </Dialog>
  );
}
