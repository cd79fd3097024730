// Your own account (every role): who you are, a link to change your password, and your API
// tokens — created (the token shown once), listed with when each was last used, revoked.
import type { ApiToken } from '@hitless/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, friendlyError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Banner } from '../components/ui.tsx';
import { dateTime } from '../time.ts';
import './Admin.css';
import { CreateTokenDialog, RevokeTokenDialog } from './TokenDialogs.tsx';
import { EmptyRow, RowAction } from '../components/table.tsx';

const ROLE_SAYS = {
  VIEWER: 'You can read everything: inventory, runs, campaigns, images, syslog and the audit log.',
  OPERATOR: 'You run the inventory, images, upgrades and campaigns.',
  APPROVER: 'You approve or reject campaigns (never your own) and verify the audit trail.',
  ADMIN: 'You can do everything, including users and device credentials.',
} as const;

function tokenState(t: ApiToken): { label: string; className: string } {
  if (t.revokedAt) return { label: `revoked ${dateTime(t.revokedAt)}`, className: 'status status-failed' };
  if (t.expiresAt && Date.parse(t.expiresAt) <= Date.now()) return { label: 'expired', className: 'status' };
  return { label: 'active', className: 'status status-completed' };
}

export function AccountPage() {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const tokens = useQuery({
    queryKey: ['tokens'],
    queryFn: async () => (await api.get<{ items: ApiToken[] }>('/api/v1/tokens')).items,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['tokens'] });
  if (!user) return null;
  const items = tokens.data;

  return (
    <section className="page">
      <div className="page-head">
        <div>
          <h1>Your account</h1>
          <p className="muted">Your profile, your password and the API tokens that act as you.</p>
        </div>
      </div>
      <div className="account-grid">
        <section className="panel" aria-labelledby="profile-title">
          <h2 className="section-title" id="profile-title">
            Profile
          </h2>
          <dl className="kv">
            <dt className="muted">Username</dt>
            <dd className="mono">{user.username}</dd>
            <dt className="muted">Name</dt>
            <dd>{user.displayName ?? <span className="muted">—</span>}</dd>
            <dt className="muted">Role</dt>
            <dd>
              <span className={`role role-${user.role.toLowerCase()}`}>{user.role}</span>
            </dd>
            <dt className="muted">Account since</dt>
            <dd>{dateTime(user.createdAt)}</dd>
            <dt className="muted">Last login</dt>
            <dd>{dateTime(user.lastLoginAt)}</dd>
          </dl>
          <p className="muted small-text">{ROLE_SAYS[user.role]} Roles are changed by an admin.</p>
          <div>
            <Link to="/account/password" className="btn">
              Change password
            </Link>
          </div>
        </section>

        <section className="panel" aria-labelledby="tokens-title">
          <div className="section-head">
            <h2 className="section-title" id="tokens-title">
              API tokens
            </h2>
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              Create token
            </button>
          </div>
          <p className="muted small-text">
            For scripts and automation: a token acts as you, with your role, sent as{' '}
            <code className="mono">Authorization: Bearer hlt_…</code>. Only a digest is stored; the token itself is
            shown once, when it is created.
          </p>
          {notice && <Banner kind="success">{notice}</Banner>}
          {tokens.error && <Banner kind="error">{friendlyError(tokens.error, 'could not load your tokens')}</Banner>}
          <div className="table-wrap">
            <table className="grid" aria-label="API tokens" aria-busy={tokens.isFetching}>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Last used</th>
                  <th>Created</th>
                  <th>Status</th>
                  <th aria-label="Actions" />
                </tr>
              </thead>
              <tbody>
                {items?.map((t) => {
                  const state = tokenState(t);
                  return (
                    <tr key={t.id} data-token={t.name}>
                      <td className="strong">
                        {t.name}
                        <span className="cell-sub mono">{t.prefix}…</span>
                      </td>
                      <td className="muted">{t.lastUsedAt ? dateTime(t.lastUsedAt) : 'never'}</td>
                      <td className="muted">
                        {dateTime(t.createdAt)}
                        <span className="cell-when">
                          {t.expiresAt ? `expires ${dateTime(t.expiresAt)}` : 'never expires'}
                        </span>
                      </td>
                      <td>
                        <span className={state.className}>{state.label}</span>
                      </td>
                      <td>
                        {!t.revokedAt && (
                          <div className="row-actions">
                            <RowAction label="Revoke" of={t.name} danger onClick={() => setRevoking(t)} />
                          </div>
                        )}
                      </td>
                    </tr>
                  );
                })}
                {!items && (
                  <EmptyRow columns={5}>{tokens.error ? 'Your tokens could not be loaded.' : 'Loading…'}</EmptyRow>
                )}
                {items?.length === 0 && (
                  <EmptyRow columns={5}>No API tokens yet. Create one for a script that needs the API.</EmptyRow>
                )}
              </tbody>
            </table>
          </div>
        </section>
      </div>

      {creating && (
        <CreateTokenDialog
          onClose={() => setCreating(false)}
          onCreated={() => {
            setNotice(null);
            refresh();
          }}
        />
      )}
      {revoking && (
        <RevokeTokenDialog
          token={revoking}
          onClose={() => setRevoking(null)}
          onRevoked={() => {
            setNotice(`Token ${revoking.name} revoked.`);
            setRevoking(null);
            refresh();
          }}
        />
      )}
    </section>
  );
}
