import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { useAuth } from '../auth.tsx';
import { useLive } from '../live.tsx';
import { useTheme } from '../theme.ts';

const LIVE_LABEL = { live: 'Live', connecting: 'Reconnecting…', offline: 'Offline' } as const;

export function Layout({ children }: { children: ReactNode }) {
  const { user, logout, can } = useAuth();
  const { status } = useLive();
  const [theme, toggleTheme] = useTheme();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            ◆
          </span>
          Hitless
          <span className="brand-sub">ISSU control plane</span>
        </div>
        <nav className="nav" aria-label="Main">
          <NavLink to="/inventory">Inventory</NavLink>
          <NavLink to="/runs">Runs</NavLink>
          <NavLink to="/campaigns">Campaigns</NavLink>
          {can('campaigns:approve') && <NavLink to="/approvals">Approvals</NavLink>}
          <NavLink to="/images">Images</NavLink>
          <NavLink to="/syslog">Syslog</NavLink>
          <NavLink to="/audit">Audit</NavLink>
          {can('users:manage') && <NavLink to="/admin/users">Admin</NavLink>}
        </nav>
        <div className="topbar-right">
          <span className={`live live-${status}`} role="status" aria-label={`Live updates: ${LIVE_LABEL[status]}`}>
            <span className="dot" aria-hidden />
            <span className="narrow-hidden">{LIVE_LABEL[status]}</span>
          </span>
          <NavLink to="/account" className="user link-quiet" title="Your account: API tokens and password">
            <span className="user-name">{user?.displayName ?? user?.username}</span>
            <span className={`role role-${user?.role.toLowerCase()}`}>{user?.role}</span>
          </NavLink>
          <button type="button" className="btn btn-quiet btn-small" onClick={toggleTheme}>
            <span className="narrow-only" aria-hidden>
              {theme === 'dark' ? '☀' : '☾'}
            </span>
            <span className="narrow-hidden">{theme === 'dark' ? 'Light theme' : 'Dark theme'}</span>
          </button>
          <button type="button" className="btn btn-quiet" onClick={() => void logout()}>
            Log out
          </button>
        </div>
      </header>
      <main className="content" id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
