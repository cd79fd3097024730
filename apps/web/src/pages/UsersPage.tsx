// Users and roles (admins): add a user with a one-time password, change roles, disable or enable,
// reset a password, delete one without history. Your own row cannot demote, disable or delete you
// (the API refuses that too, and keeps one enabled admin at all times).
import { Role, type User } from '@hitless/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, friendlyError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Banner } from '../components/ui.tsx';
import { dateTime } from '../time.ts';
import { AdminTabs, NotAllowed, plural } from './AdminCommon.tsx';
import { AddUserDialog, ConfirmUserDialog, ResetPasswordDialog } from './UserDialogs.tsx';
import { EmptyRow, RowAction } from '../components/table.tsx';

type Open = { kind: 'new' } | { kind: 'reset' | 'disable' | 'delete'; user: User } | null;

export function UsersPage() {
  const { can } = useAuth();
  if (!can('users:manage')) return <NotAllowed title="Users" what="Managing users and roles" />;
  return <Users />;
}

function StatusOf({ u }: { u: User }) {
  if (u.disabled) return <span className="status status-failed">disabled</span>;
  if (u.mustChangePassword)
    return (
      <span className="status status-waiting_accept" title="Has a one-time password and has not chosen their own yet">
        one-time password
      </span>
    );
  return <span className="status status-completed">active</span>;
}

function Users() {
  const { user: me } = useAuth();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const list = useQuery({
    queryKey: ['users'],
    queryFn: async () => (await api.get<{ items: User[] }>('/api/v1/users')).items,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['users'] });
  const patch = useMutation({
    mutationFn: ({ u, body }: { u: User; body: Partial<Pick<User, 'role' | 'disabled'>> }) =>
      api.patch<User>(`/api/v1/users/${u.id}`, body),
    onSuccess: (u, { body }) => {
      setNotice({
        kind: 'success',
        text:
          body.role !== undefined
            ? `${u.username} is now ${u.role.toLowerCase()}.`
            : `${u.username} ${u.disabled ? 'disabled' : 'enabled'}.`,
      });
      refresh();
    },
    onError: (err) => setNotice({ kind: 'error', text: friendlyError(err, 'the change failed') }),
  });
  const done = (text: string) => {
    setOpen(null);
    setNotice({ kind: 'success', text });
    refresh();
  };
  const items = list.data;

  return (
    <section className="page">
      <div className="page-head">
        <div>
          <h1>Users</h1>
          <p className="muted">
            {items ? `${plural(items.length, 'user')}. ` : list.error ? 'Not loaded. ' : 'Loading… '}
            New users and reset passwords get a one-time password, replaced at their first login.
          </p>
        </div>
        <div className="page-actions">
          <button type="button" className="btn btn-primary" onClick={() => setOpen({ kind: 'new' })}>
            Add user
          </button>
        </div>
      </div>
      <AdminTabs />
      {notice && <Banner kind={notice.kind}>{notice.text}</Banner>}
      {list.error && <Banner kind="error">{friendlyError(list.error, 'could not load the users')}</Banner>}
      <div className="table-wrap">
        <table className="grid" aria-label="Users" aria-busy={list.isFetching}>
          <thead>
            <tr>
              <th>User</th>
              <th>Role</th>
              <th>Status</th>
              <th>Last login</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {items?.map((u) => {
              const self = u.id === me?.id;
              return (
                <tr key={u.id} data-username={u.username}>
                  <td className="strong wrap">
                    {u.username}
                    {self && <span className="muted"> (you)</span>}
                    {u.displayName && <span className="cell-sub">{u.displayName}</span>}
                  </td>
                  <td>
                    <select
                      aria-label={`Role of ${u.username}`}
                      value={u.role}
                      disabled={self || patch.isPending}
                      title={self ? 'You cannot change your own role; another admin can' : undefined}
                      onChange={(e) => patch.mutate({ u, body: { role: e.target.value as Role } })}
                    >
                      {Role.options.map((r) => (
                        <option key={r} value={r}>
                          {r.toLowerCase()}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <StatusOf u={u} />
                  </td>
                  <td className="muted">
                    {u.lastLoginAt ? dateTime(u.lastLoginAt) : 'never'}
                    <span className="cell-when">account created {dateTime(u.createdAt)}</span>
                  </td>
                  <td>
                    {!self && (
                      <div className="row-actions">
                        <button
                          type="button"
                          className="btn btn-small"
                          aria-label={`Reset the password of ${u.username}`}
                          onClick={() => setOpen({ kind: 'reset', user: u })}
                        >
                          Reset password
                        </button>
                        {u.disabled ? (
                          <RowAction
                            label="Enable"
                            of={u.username}
                            disabled={patch.isPending}
                            onClick={() => patch.mutate({ u, body: { disabled: false } })}
                          />
                        ) : (
                          <RowAction
                            label="Disable"
                            of={u.username}
                            onClick={() => setOpen({ kind: 'disable', user: u })}
                          />
                        )}
                        <RowAction
                          label="Delete"
                          of={u.username}
                          danger
                          onClick={() => setOpen({ kind: 'delete', user: u })}
                        />
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
            {!items && <EmptyRow columns={5}>{list.error ? 'The users could not be loaded.' : 'Loading…'}</EmptyRow>}
          </tbody>
        </table>
      </div>

      {open?.kind === 'new' && <AddUserDialog onClose={() => setOpen(null)} onCreated={refresh} />}
      {open?.kind === 'reset' && (
        <ResetPasswordDialog user={open.user} onClose={() => setOpen(null)} onReset={refresh} />
      )}
      {open?.kind === 'disable' && (
        <ConfirmUserDialog
          title={`Disable ${open.user.username}`}
          action="Disable"
          onClose={() => setOpen(null)}
          run={async () => {
            await api.patch(`/api/v1/users/${open.user.id}`, { disabled: true });
            done(`${open.user.username} disabled; their sessions ended and their API tokens are revoked.`);
          }}
        >
          <p>
            {open.user.username} can no longer log in. Every session of theirs ends now and their API tokens are revoked
            for good (enabling the account again does not bring them back).
          </p>
        </ConfirmUserDialog>
      )}
      {open?.kind === 'delete' && (
        <ConfirmUserDialog
          title={`Delete ${open.user.username}`}
          action="Delete user"
          onClose={() => setOpen(null)}
          run={async () => {
            await api.delete(`/api/v1/users/${open.user.id}`);
            done(`${open.user.username} deleted.`);
          }}
        >
          <p>
            Delete {open.user.username} for good? A user who appears in campaigns, approvals or runs cannot be deleted
            (the history keeps them); disable them instead.
          </p>
        </ConfirmUserDialog>
      )}
    </section>
  );
}
