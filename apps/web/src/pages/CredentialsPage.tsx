// Device credentials (admins): who they log in as, when the secret was last replaced, and which
// devices use each. Secrets are typed once and never shown again: the API returns none.
import type { Credential } from '@hitless/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, friendlyError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Banner } from '../components/ui.tsx';
import { dateTime } from '../time.ts';
import { AdminTabs, NotAllowed, plural } from './AdminCommon.tsx';
import { CredentialDevicesDialog } from './CredentialDevicesDialog.tsx';
import { CredentialDialog, DeleteCredentialDialog, RotateDialog } from './CredentialDialogs.tsx';
import { EmptyRow, RowAction } from '../components/table.tsx';

/** Hostnames shown in the row; the rest are one click away. */
const INLINE = 3;

type Open = { kind: 'new' } | { kind: 'edit' | 'rotate' | 'delete' | 'devices'; credential: Credential } | null;

export function CredentialsPage() {
  const { can } = useAuth();
  if (!can('credentials:write')) return <NotAllowed title="Credentials" what="Managing device credentials" />;
  return <Credentials />;
}

function UsedBy({ c, onAll }: { c: Credential; onAll(): void }) {
  if (c.deviceCount === 0) return <span className="muted">no device</span>;
  const more = c.deviceCount - Math.min(INLINE, c.usedBy.length);
  return (
    <span className="used-by">
      <strong>{plural(c.deviceCount, 'device')}:</strong>
      {c.usedBy.slice(0, INLINE).map((d) => (
        <Link key={d.id} to={`/devices/${d.id}`}>
          {d.hostname}
        </Link>
      ))}
      {more > 0 && (
        <button
          type="button"
          className="btn btn-quiet btn-small"
          title={`All ${c.deviceCount} devices using ${c.name}`}
          onClick={onAll}
        >
          +{more} more
        </button>
      )}
    </span>
  );
}

function Credentials() {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const list = useQuery({
    queryKey: ['credentials'],
    queryFn: async () => (await api.get<{ items: Credential[] }>('/api/v1/credentials')).items,
  });
  const done = (text: string) => {
    setOpen(null);
    setNotice({ kind: 'success', text });
    void queryClient.invalidateQueries({ queryKey: ['credentials'] });
  };
  const items = list.data;

  return (
    <section className="page">
      <div className="page-head">
        <div>
          <h1>Credentials</h1>
          <p className="muted">
            {items ? `${plural(items.length, 'credential')}. ` : list.error ? 'Not loaded. ' : 'Loading… '}
            Secrets are encrypted at rest and never shown again after saving.
          </p>
        </div>
        <div className="page-actions">
          <button type="button" className="btn btn-primary" onClick={() => setOpen({ kind: 'new' })}>
            Add credential
          </button>
        </div>
      </div>
      <AdminTabs />
      {notice && <Banner kind={notice.kind}>{notice.text}</Banner>}
      {list.error && <Banner kind="error">{friendlyError(list.error, 'could not load the credentials')}</Banner>}
      <div className="table-wrap">
        <table className="grid" aria-label="Credentials" aria-busy={list.isFetching}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Username</th>
              <th>Kind</th>
              <th>Used by</th>
              <th>Secret</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {items?.map((c) => (
              <tr key={c.id} data-credential={c.name}>
                <td className="strong wrap">
                  {c.name}
                  {c.description && <span className="cell-sub">{c.description}</span>}
                </td>
                <td className="mono">{c.username}</td>
                <td className="wrap">{c.hasEnableSecret ? 'password + enable secret' : 'password'}</td>
                <td className="wrap">
                  <UsedBy c={c} onAll={() => setOpen({ kind: 'devices', credential: c })} />
                </td>
                <td className="muted">
                  created {dateTime(c.createdAt)}
                  <span className="cell-when">rotated {c.secretRotatedAt ? dateTime(c.secretRotatedAt) : 'never'}</span>
                </td>
                <td>
                  <div className="row-actions">
                    <RowAction label="Edit" of={c.name} onClick={() => setOpen({ kind: 'edit', credential: c })} />
                    <RowAction label="Rotate" of={c.name} onClick={() => setOpen({ kind: 'rotate', credential: c })} />
                    <RowAction
                      label="Delete"
                      of={c.name}
                      danger
                      onClick={() => setOpen({ kind: 'delete', credential: c })}
                    />
                  </div>
                </td>
              </tr>
            ))}
            {!items && (
              <EmptyRow columns={6}>{list.error ? 'The credentials could not be loaded.' : 'Loading…'}</EmptyRow>
            )}
            {items?.length === 0 && (
              <EmptyRow columns={6}>No credentials yet. Add one, then pick it for devices in the inventory.</EmptyRow>
            )}
          </tbody>
        </table>
      </div>

      {(open?.kind === 'new' || open?.kind === 'edit') && (
        <CredentialDialog
          credential={open.kind === 'edit' ? open.credential : null}
          onClose={() => setOpen(null)}
          onSaved={(c, created) =>
            done(
              created
                ? `Credential ${c.name} added. Its secret is encrypted and will not be shown again.`
                : `Credential ${c.name} saved.`,
            )
          }
        />
      )}
      {open?.kind === 'rotate' && (
        <RotateDialog
          credential={open.credential}
          onClose={() => setOpen(null)}
          onRotated={(c) => done(`Secret of ${c.name} rotated; ${plural(c.deviceCount, 'device')} use the new one.`)}
        />
      )}
      {open?.kind === 'delete' && (
        <DeleteCredentialDialog
          credential={open.credential}
          onClose={() => setOpen(null)}
          onDeleted={() => done(`Credential ${open.credential.name} deleted.`)}
        />
      )}
      {open?.kind === 'devices' && (
        <CredentialDevicesDialog credential={open.credential} onClose={() => setOpen(null)} />
      )}
    </section>
  );
}
