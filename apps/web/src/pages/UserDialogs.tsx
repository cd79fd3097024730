// The user dialogs: add a user or reset a password (a one-time password, shown once, that the
// user replaces at first login), and confirmations for disabling and deleting.
import { NewPassword, Role, UserCreate, type User } from '@hitless/contracts';
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError } from '../api.ts';
import { Banner, Dialog, Field } from '../components/ui.tsx';
import { generatePassword, ShownOnce } from './AdminCommon.tsx';
import { PASSWORD_HINT } from './password.ts';

export const ROLE_LABELS: Record<Role, string> = {
  VIEWER: 'Viewer: reads everything',
  OPERATOR: 'Operator: inventory, images, upgrades, campaigns',
  APPROVER: 'Approver: approves campaigns, verifies the audit',
  ADMIN: 'Admin: everything, users and credentials',
};

function OneTimePasswordField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange(v: string): void;
  error: string | undefined;
}) {
  return (
    <div className="form-grid">
      <Field label="One-time password" error={error} hint={`${PASSWORD_HINT} Generated; you may type your own.`}>
        <input className="mono" value={value} onChange={(e) => onChange(e.target.value)} autoComplete="off" />
      </Field>
      <div>
        <button type="button" className="btn btn-small" onClick={() => onChange(generatePassword())}>
          Generate another
        </button>
      </div>
    </div>
  );
}

/** After saving: the one-time password, once. */
function Handover({ user, password, onClose }: { user: User; password: string; onClose(): void }) {
  return (
    <div className="form-grid">
      <ShownOnce label={`One-time password of ${user.username}`} value={password}>
        Give it to {user.displayName ?? user.username} over a safe channel; they choose their own password at their
        first login.
      </ShownOnce>
      <div className="actions">
        <button type="button" className="btn btn-primary" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}

export function AddUserDialog({ onClose, onCreated }: { onClose(): void; onCreated(u: User): void }) {
  const [form, setForm] = useState({ username: '', displayName: '', role: 'VIEWER' as Role, password: '' });
  const [password, setPassword] = useState(generatePassword);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<User | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = UserCreate.safeParse({
      username: form.username,
      role: form.role,
      password,
      ...(form.displayName.trim() && { displayName: form.displayName }),
    });
    if (!parsed.success) {
      const out: Record<string, string> = {};
      for (const i of parsed.error.issues) out[String(i.path[0])] ??= i.message;
      setErrors(out);
      return;
    }
    setErrors({});
    setFailure(null);
    setBusy(true);
    try {
      const user = await api.post<User>('/api/v1/users', parsed.data);
      setCreated(user);
      onCreated(user);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setErrors(err.fieldErrors());
      setFailure(err.friendly);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={created ? `${created.username} added` : 'Add user'} onClose={onClose}>
      {created ? (
        <Handover user={created} password={password} onClose={onClose} />
      ) : (
        <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
          {failure && <Banner kind="error">{failure}</Banner>}
          <div className="row">
            <Field label="Username (required)" error={errors.username}>
              <input
                value={form.username}
                onChange={(e) => setForm((f) => ({ ...f, username: e.target.value }))}
                autoComplete="off"
              />
            </Field>
            <Field label="Display name" error={errors.displayName}>
              <input
                value={form.displayName}
                onChange={(e) => setForm((f) => ({ ...f, displayName: e.target.value }))}
                autoComplete="off"
              />
            </Field>
          </div>
          <Field label="Role" error={errors.role}>
            <select value={form.role} onChange={(e) => setForm((f) => ({ ...f, role: e.target.value as Role }))}>
              {Role.options.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </Field>
          <OneTimePasswordField value={password} onChange={setPassword} error={errors.password} />
          <div className="actions">
            <button type="button" className="btn btn-quiet" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Adding…' : 'Add user'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

export function ResetPasswordDialog({ user, onClose, onReset }: { user: User; onClose(): void; onReset(): void }) {
  const [password, setPassword] = useState(generatePassword);
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = NewPassword.safeParse(password);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message);
      return;
    }
    setError(undefined);
    setFailure(null);
    setBusy(true);
    try {
      await api.patch<User>(`/api/v1/users/${user.id}`, { password });
      setDone(true);
      onReset();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setError(err.fieldErrors().password);
      setFailure(err.friendly);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Reset the password of ${user.username}`} onClose={onClose}>
      {done ? (
        <Handover user={user} password={password} onClose={onClose} />
      ) : (
        <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
          {failure && <Banner kind="error">{failure}</Banner>}
          <p className="muted">
            {user.username} gets a one-time password and must choose a new one at the next login. Every session of
            theirs ends now; their API tokens keep working.
          </p>
          <OneTimePasswordField value={password} onChange={setPassword} error={error} />
          <div className="actions">
            <button type="button" className="btn btn-quiet" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="btn btn-danger" disabled={busy}>
              {busy ? 'Resetting…' : 'Reset password'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

/** A yes/no question about a user, with the API's refusal shown inside it. */
export function ConfirmUserDialog({
  title,
  children,
  action,
  run,
  onClose,
}: {
  title: string;
  children: ReactNode;
  action: string;
  run(): Promise<void>;
  onClose(): void;
}) {
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const go = async () => {
    setFailure(null);
    setBusy(true);
    try {
      await run();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setFailure(err.friendly);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="form-grid">
        {failure && <Banner kind="error">{failure}</Banner>}
        {children}
        <div className="actions">
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void go()}>
            {busy ? 'Working…' : action}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
