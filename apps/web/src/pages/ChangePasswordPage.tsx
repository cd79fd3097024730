// Changing one's own password. At first login the one-time password just typed on the login page
// is carried over in memory (auth.tsx), so the form asks only for the new one; after a reload it is
// gone and the form asks for it again. The minimum length comes from the API's own schema.
import { NewPassword } from '@hitless/contracts';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Banner, Field } from '../components/ui.tsx';
import { PASSWORD_HINT, PASSWORD_MIN } from './password.ts';

export function ChangePasswordPage({ firstLogin = false }: { firstLogin?: boolean }) {
  const { refresh, logout, oneTimePassword, forgetOneTimePassword } = useAuth();
  // Asked for only when it is not known already (or the API said the carried one is wrong).
  const [askCurrent, setAskCurrent] = useState(!(firstLogin && oneTimePassword));
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
    const fieldErrors: Record<string, string> = {};
    const current = askCurrent ? currentPassword : (oneTimePassword ?? '');
    if (askCurrent && !currentPassword) fieldErrors.currentPassword = 'is required';
    const parsed = NewPassword.safeParse(newPassword);
    if (!parsed.success) fieldErrors.newPassword = parsed.error.issues[0]?.message ?? 'is not a valid password';
    else if (newPassword !== confirm) fieldErrors.confirm = 'does not match the new password';
    if (Object.keys(fieldErrors).length > 0) {
      setErrors(fieldErrors);
      return;
    }
    setBusy(true);
    try {
      await api.post('/api/v1/auth/password', { currentPassword: current, newPassword });
      setCurrent('');
      setNew('');
      setConfirm('');
      forgetOneTimePassword();
      setMessage({ kind: 'success', text: 'Password changed. Your other sessions were logged out.' });
      await refresh();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const fields = err.fieldErrors();
      if (fields.currentPassword && !askCurrent) {
        // The carried password no longer counts (an admin reset it meanwhile): ask for it.
        forgetOneTimePassword();
        setAskCurrent(true);
      }
      setErrors(fields);
      setMessage({ kind: 'error', text: err.friendly });
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
          You logged in with a one-time password. Choose your own password (at least {PASSWORD_MIN} characters) to
          continue.
        </p>
      )}
      {message && <Banner kind={message.kind}>{message.text}</Banner>}
      {askCurrent && (
        <Field
          label={firstLogin ? 'One-time password' : 'Current password'}
          error={errors.currentPassword}
          hint={firstLogin ? 'The password you were given, the one you just logged in with.' : undefined}
        >
          <input
            type="password"
            autoComplete="current-password"
            value={currentPassword}
            onChange={(e) => setCurrent(e.target.value)}
            required
          />
        </Field>
      )}
      <Field label="New password" error={errors.newPassword} hint={PASSWORD_HINT}>
        <input
          type="password"
          autoComplete="new-password"
          value={newPassword}
          onChange={(e) => setNew(e.target.value)}
          required
          minLength={PASSWORD_MIN}
          autoFocus={firstLogin}
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
        {firstLogin ? (
          <button type="button" className="btn btn-quiet" onClick={() => void logout()}>
            Log out
          </button>
        ) : (
          <Link to="/account" className="btn btn-quiet">
            Back to your account
          </Link>
        )}
        <button className="btn btn-primary" type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Change password'}
        </button>
      </div>
    </form>
  );
  return firstLogin ? <div className="login-screen">{form}</div> : form;
}
