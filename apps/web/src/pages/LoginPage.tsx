import { useState, type FormEvent } from 'react';
import { friendlyError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Banner, Field } from '../components/ui.tsx';

export function LoginPage() {
  const { login } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
    } catch (err) {
      setError(friendlyError(err, 'login failed'));
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-screen">
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-label="Log in">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden>
            ◆
          </span>
          Hitless
        </div>
        <p className="muted">In-service software upgrades for dual route-processor routers.</p>
        {error && <Banner kind="error">{error}</Banner>}
        <Field label="Username">
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoFocus
          />
        </Field>
        <Field label="Password">
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </Field>
        <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </div>
  );
}
