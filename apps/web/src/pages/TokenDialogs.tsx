// Creating an API token (shown once, with a copy button) and revoking one.
import { ApiTokenCreate, type ApiToken } from '@hitless/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { FormActions, fieldErrorsOf, useSubmit } from '../components/submit.tsx';
import { Banner, Dialog, Field } from '../components/ui.tsx';
import { ShownOnce } from './AdminCommon.tsx';

const EXPIRIES = [
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: '1 year' },
  { days: 0, label: 'Never (revoke it by hand)' },
] as const;

export function CreateTokenDialog({ onClose, onCreated }: { onClose(): void; onCreated(): void }) {
  const [name, setName] = useState('');
  const [days, setDays] = useState<number>(90);
  const { busy, failure, errors, invalid, send } = useSubmit();
  const [token, setToken] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = ApiTokenCreate.safeParse({ name, ...(days > 0 && { expiresInDays: days }) });
    if (!parsed.success) return invalid(fieldErrorsOf(parsed.error));
    await send(async () => {
      const created = await api.post<ApiToken & { token: string }>('/api/v1/tokens', parsed.data);
      setToken(created.token);
      onCreated();
    });
  }

  return (
    <Dialog title={token ? `Token ${name} created` : 'Create API token'} onClose={onClose}>
      {token ? (
        <div className="form-grid">
          <ShownOnce label="Your new API token" value={token}>
            Copy it now into the automation that needs it. It acts as you, with your role; send it as{' '}
            <code className="mono">Authorization: Bearer …</code>.
          </ShownOnce>
          <div className="actions">
            <button type="button" className="btn btn-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
          {failure && <Banner kind="error">{failure}</Banner>}
          <Field label="Name" required error={errors.name} hint="What uses it, e.g. nightly-inventory-sync.">
            <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
          </Field>
          <Field label="Expires after">
            <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
              {EXPIRIES.map((x) => (
                <option key={x.days} value={x.days}>
                  {x.label}
                </option>
              ))}
            </select>
          </Field>
          <FormActions onCancel={onClose} busy={busy} label="Create token" busyLabel="Creating…" />
        </form>
      )}
    </Dialog>
  );
}

export function RevokeTokenDialog({
  token,
  onClose,
  onRevoked,
}: {
  token: ApiToken;
  onClose(): void;
  onRevoked(): void;
}) {
  const { busy, failure, send } = useSubmit();
  const revoke = () =>
    void send(async () => {
      await api.delete(`/api/v1/tokens/${token.id}`);
      onRevoked();
    });
  return (
    <Dialog title={`Revoke ${token.name}`} onClose={onClose}>
      <div className="form-grid">
        {failure && <Banner kind="error">{failure}</Banner>}
        <p>
          Revoke the token <strong>{token.name}</strong> (<span className="mono">{token.prefix}…</span>)? Whatever uses
          it is refused from now on, and live connections made with it are closed. This cannot be undone.
        </p>
        <FormActions
          onCancel={onClose}
          busy={busy}
          label="Revoke token"
          busyLabel="Revoking…"
          danger
          onSubmit={revoke}
        />
      </div>
    </Dialog>
  );
}
