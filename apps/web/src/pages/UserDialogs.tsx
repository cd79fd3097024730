// The user dialogs: add a user or reset a password (a one-time password, shown once, that the
// user replaces at first login), and confirmations for disabling and deleting.
import { NewPassword, Role, UserCreate, type User } from '@hitless/contracts';
import { useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../api.ts';
import { FormActions, fieldErrorsOf, useSubmit } from '../components/submit.tsx';
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
  const { busy, failure, errors, invalid, send } = useSubmit();
  const [created, setCreated] = useState<User | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = UserCreate.safeParse({
      username: form.username,
      role: form.role,
      password,
      ...(form.displayName.trim() && { displayName: form.displayName }),
    });
    if (!parsed.success) return invalid(fieldErrorsOf(parsed.error));
    await send(async () => {
      const user = await api.post<User>('/api/v1/users', parsed.data);
      setCreated(user);
      onCreated(user);
    });
  }

  return (
    <Dialog title={created ? `${created.username} added` : 'Add user'} onClose={onClose}>
      {created ? (
        <Handover user={created} password={password} onClose={onClose} />
      ) : (
        <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
          {failure && <Banner kind="error">{failure}</Banner>}
          <div className="row">
            <Field label="Username" required error={errors.username}>
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
          <FormActions onCancel={onClose} busy={busy} label="Add user" busyLabel="Adding…" />
        </form>
      )}
    </Dialog>
  );
}

export function ResetPasswordDialog({ user, onClose, onReset }: { user: User; onClose(): void; onReset(): void }) {
  const [password, setPassword] = useState(generatePassword);
  const { busy, failure, errors, invalid, send } = useSubmit();
  const [done, setDone] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = NewPassword.safeParse(password);
    if (!parsed.success) return invalid({ password: parsed.error.issues[0]?.message ?? 'is not valid' });
    await send(async () => {
      await api.patch<User>(`/api/v1/users/${user.id}`, { password });
      setDone(true);
      onReset();
    });
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
          <OneTimePasswordField value={password} onChange={setPassword} error={errors.password} />
          <FormActions onCancel={onClose} busy={busy} label="Reset password" busyLabel="Resetting…" danger />
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
  const { busy, failure, send } = useSubmit();
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="form-grid">
        {failure && <Banner kind="error">{failure}</Banner>}
        {children}
        <FormActions
          onCancel={onClose}
          busy={busy}
          label={action}
          busyLabel="Working…"
          danger
          onSubmit={() => void send(run)}
        />
      </div>
    </Dialog>
  );
}
