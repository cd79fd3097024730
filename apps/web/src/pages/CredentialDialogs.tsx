// The credential dialogs: add or edit (name, username, description; secrets only when adding),
// rotate (a new secret) and delete (refused while devices use it).
// Secrets go to the API and are never shown again: no response carries them.
import { CredentialCreate, CredentialRotate, CredentialUpdate, type Credential } from '@hitless/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { FormActions, fieldErrorsOf, useSubmit } from '../components/submit.tsx';
import { Banner, Dialog, Field } from '../components/ui.tsx';
import { plural } from './AdminCommon.tsx';

export function CredentialDialog({
  credential,
  onClose,
  onSaved,
}: {
  credential: Credential | null;
  onClose(): void;
  onSaved(c: Credential, created: boolean): void;
}) {
  const [form, setForm] = useState({
    name: credential?.name ?? '',
    username: credential?.username ?? '',
    description: credential?.description ?? '',
    secret: '',
    enableSecret: '',
  });
  const { busy, failure, errors, invalid, send } = useSubmit();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));

  function submit(e: FormEvent) {
    e.preventDefault();
    const common = { name: form.name, username: form.username, description: form.description || null };
    // An edit sends only what changed (the audit names those fields).
    const changed = credential
      ? Object.fromEntries(
          Object.entries(common).filter(([k, v]) => v !== (credential[k as keyof typeof common] ?? null)),
        )
      : {};
    if (credential && Object.keys(changed).length === 0) {
      onClose();
      return;
    }
    const parsed = credential
      ? CredentialUpdate.safeParse(changed)
      : CredentialCreate.safeParse({
          ...common,
          secret: form.secret,
          ...(form.enableSecret && { enableSecret: form.enableSecret }),
        });
    if (!parsed.success) return invalid(fieldErrorsOf(parsed.error));
    void send(async () => {
      const saved = credential
        ? await api.patch<Credential>(`/api/v1/credentials/${credential.id}`, parsed.data)
        : await api.post<Credential>('/api/v1/credentials', parsed.data);
      onSaved(saved, !credential);
    });
  }

  return (
    <Dialog title={credential ? `Edit credential ${credential.name}` : 'Add credential'} onClose={onClose}>
      <form className="form-grid" onSubmit={submit} noValidate>
        {failure && <Banner kind="error">{failure}</Banner>}
        <div className="row">
          <Field label="Name" required error={errors.name}>
            <input value={form.name} onChange={set('name')} autoComplete="off" placeholder="core-routers" />
          </Field>
          <Field label="Username" required error={errors.username}>
            <input value={form.username} onChange={set('username')} autoComplete="off" className="mono" />
          </Field>
        </div>
        {!credential && (
          <>
            <Field
              label="Password or secret"
              required
              error={errors.secret}
              hint="Encrypted at rest; after saving it is never shown again, to anyone."
            >
              <input type="password" value={form.secret} onChange={set('secret')} autoComplete="new-password" />
            </Field>
            <Field
              label="Enable secret (optional)"
              error={errors.enableSecret}
              hint="Cisco only: for `enable` when the login does not land in privileged mode."
            >
              <input
                type="password"
                value={form.enableSecret}
                onChange={set('enableSecret')}
                autoComplete="new-password"
              />
            </Field>
          </>
        )}
        {credential && (
          <p className="muted small-text">The secret is not shown and not changed here: use Rotate for a new one.</p>
        )}
        <Field label="Description" error={errors.description}>
          <textarea value={form.description} onChange={set('description')} rows={2} />
        </Field>
        <FormActions
          onCancel={onClose}
          busy={busy}
          label={credential ? 'Save' : 'Add credential'}
          busyLabel="Saving…"
        />
      </form>
    </Dialog>
  );
}

export function RotateDialog({
  credential,
  onClose,
  onRotated,
}: {
  credential: Credential;
  onClose(): void;
  onRotated(c: Credential): void;
}) {
  const [secret, setSecret] = useState('');
  const [enable, setEnable] = useState<string | null>(null);
  const { busy, failure, errors, invalid, send } = useSubmit();

  function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = CredentialRotate.safeParse({ secret, ...(enable !== null && { enableSecret: enable }) });
    if (!parsed.success) return invalid(fieldErrorsOf(parsed.error));
    void send(async () =>
      onRotated(await api.post<Credential>(`/api/v1/credentials/${credential.id}/rotate`, parsed.data)),
    );
  }

  return (
    <Dialog title={`Rotate ${credential.name}`} onClose={onClose}>
      <form className="form-grid" onSubmit={submit} noValidate>
        {failure && <Banner kind="error">{failure}</Banner>}
        <p className="muted">
          The new secret replaces the old one at once for {plural(credential.deviceCount, 'device')}: change it on the
          devices first (or in the same maintenance window). The old secret is not kept.
        </p>
        <Field label="New password or secret" error={errors.secret} hint="Never shown again after saving.">
          <input
            type="password"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            autoComplete="new-password"
          />
        </Field>
        <label className="check">
          <input type="checkbox" checked={enable !== null} onChange={(e) => setEnable(e.target.checked ? '' : null)} />
          Also replace the enable secret
        </label>
        {enable !== null && (
          <Field label="New enable secret" error={errors.enableSecret}>
            <input
              type="password"
              value={enable}
              onChange={(e) => setEnable(e.target.value)}
              autoComplete="new-password"
            />
          </Field>
        )}
        <FormActions onCancel={onClose} busy={busy} label="Rotate secret" busyLabel="Rotating…" />
      </form>
    </Dialog>
  );
}

export function DeleteCredentialDialog({
  credential,
  onClose,
  onDeleted,
}: {
  credential: Credential;
  onClose(): void;
  onDeleted(): void;
}) {
  const { busy, failure, send } = useSubmit();
  const inUse = credential.deviceCount > 0;
  const remove = () =>
    void send(async () => {
      await api.delete(`/api/v1/credentials/${credential.id}`);
      onDeleted();
    });
  return (
    <Dialog title={`Delete ${credential.name}`} onClose={onClose}>
      <div className="form-grid">
        {failure && <Banner kind="error">{failure}</Banner>}
        {inUse ? (
          <Banner kind="error">
            {plural(credential.deviceCount, 'device')} log in with {credential.name}, so it cannot be deleted. Give them
            another credential first (Inventory: Edit).
          </Banner>
        ) : (
          <p>
            Delete the credential <strong>{credential.name}</strong> ({credential.username})? Its secret is destroyed;
            no device uses it.
          </p>
        )}
        <div className="actions">
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            {inUse ? 'Close' : 'Cancel'}
          </button>
          {!inUse && (
            <button type="button" className="btn btn-danger" disabled={busy} onClick={remove}>
              {busy ? 'Deleting…' : 'Delete credential'}
            </button>
          )}
        </div>
      </div>
    </Dialog>
  );
}
