import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Banner, Field } from '../components/ui.tsx';

export function ChangePasswordPage({ firstLogin = false }: { firstLogin?: boolean }) {
  const { refresh, logout } = useAuth();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    setMessage(null);
    if (newPassword !== confirm) {
      setErrors({ confirm: 'does not match the new password' });
      return;
    }
    setBusy(true);
    try {
      await api.post('/api/v1/auth/password', { currentPassword, newPassword });
      setCurrent('');
      setNew('');
      setConfirm('');
      setMessage({ kind: 'success', text: 'Password changed. Your other sessions were logged out.' });
      await refresh();
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors(err.fieldErrors());
        setMessage({ kind: 'error', text: err.friendly });
      } else throw err;
    } finally {
      setBusy(false);
    }
  }

  const form = (
    <form
      className={firstLogin ? 'login-card' : 'panel narrow'}
      onSubmit={(e) => void submit(e)}
      aria-label="Change password"
      noValidate
    >
      <h1>{firstLogin ? 'Choose your password' : 'Change password'}</h1>
      {firstLogin && (
        <p className="muted">
          You logged in with a one-time password. Choose your own (at least 12 characters) to continue.
        </p>
      )}
      {message && <Banner kind={message.kind}>{message.text}</Banner>}
      <Field label="Current password" error={errors.currentPassword}>
        <input
          type="password"
          autoComplete="current-password"
          value={currentPassword}
          onChange={(e) => setCurrent(e.target.value)}
          required
        />
      </Field>
      <Field label="New password" error={errors.newPassword} hint="At least 12 characters; a passphrase is best.">
        <input
          type="password"
          autoComplete="new-password"
          value={newPassword}
          onChange={(e) => setNew(e.target.value)}
          required
          minLength={12}
        />
      </Field>
      <Field label="Repeat new password" error={errors.confirm}>
        <input
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          required
        />
      </Field>
      <div className="actions">
        {firstLogin && (
          <button type="button" className="btn btn-quiet" onClick={() => void logout()}>
            Log out
          </button>
        )}
        <button className="btn btn-primary" type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Change password'}
        </button>
      </div>
    </form>
  );
  return firstLogin ? <div className="login-screen">{form}</div> : form;
}
