// Creating an API token (shown once, with a copy button) and revoking one.
import { ApiTokenCreate, type ApiToken } from '@hitless/contracts';
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
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
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [token, setToken] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = ApiTokenCreate.safeParse({ name, ...(days > 0 && { expiresInDays: days }) });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message);
      return;
    }
    setError(undefined);
    setFailure(null);
    setBusy(true);
    try {
      const created = await api.post<ApiToken & { token: string }>('/api/v1/tokens', parsed.data);
      setToken(created.token);
      onCreated();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setError(err.fieldErrors().name);
      setFailure(err.friendly);
    } finally {
      setBusy(false);
    }
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
          <Field label="Name (required)" error={error} hint="What uses it, e.g. nightly-inventory-sync.">
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
          <div className="actions">
            <button type="button" className="btn btn-quiet" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Creating…' : 'Create token'}
            </button>
          </div>
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
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const revoke = async () => {
    setFailure(null);
    setBusy(true);
    try {
      await api.delete(`/api/v1/tokens/${token.id}`);
      onRevoked();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setFailure(err.friendly);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Revoke ${token.name}`} onClose={onClose}>
      <div className="form-grid">
        {failure && <Banner kind="error">{failure}</Banner>}
        <p>
          Revoke the token <strong>{token.name}</strong> (<span className="mono">{token.prefix}…</span>)? Whatever uses
          it is refused from now on, and live connections made with it are closed. This cannot be undone.
        </p>
        <div className="actions">
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void revoke()}>
            {busy ? 'Revoking…' : 'Revoke token'}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
