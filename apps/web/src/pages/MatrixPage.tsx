// The compatibility matrix per platform family (from × to, C / B / I), the ISSU barrier and the
// 18-month window marked from core's rules; operators change cells and import the vendor's CSV.
import type { CompatibilityEntry, SoftwareImage, Vendor } from '@hitless/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, friendlyError, qs } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Banner } from '../components/ui.tsx';
import { familyKey, familyLabel, type Family } from './images-format.ts';
import { MatrixCellDialog } from './MatrixCellDialog.tsx';
import { MatrixGrid, MatrixLegend, type Pair } from './MatrixGrid.tsx';
import { MatrixImportDialog } from './MatrixImportDialog.tsx';
import './ImagesPage.css';

type Notice = { kind: 'error' | 'success'; text: string };

export function MatrixPage() {
  const { can } = useAuth();
  const mayWrite = can('images:write');
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const selected =
    params.get('vendor') && params.get('family') ? `${params.get('vendor')}/${params.get('family')}` : '';
  const [editing, setEditing] = useState<Pair | null>(null);
  const [importing, setImporting] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);

  const entries = useQuery({
    queryKey: ['compatibility', 'list'],
    queryFn: () => api.get<{ items: CompatibilityEntry[] }>('/api/v1/compatibility'),
  });
  const images = useQuery({
    queryKey: ['images', 'list'],
    queryFn: () => api.get<{ items: SoftwareImage[] }>('/api/v1/images'),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['compatibility'] });

  const families = new Map<string, Family>();
  const add = (vendor: Vendor, platformFamily: string) =>
    families.set(familyKey(vendor, platformFamily), { key: familyKey(vendor, platformFamily), vendor, platformFamily });
  for (const e of entries.data?.items ?? []) add(e.vendor, e.platformFamily);
  for (const i of images.data?.items ?? []) add(i.vendor, i.platformFamily);
  const all = [...families.values()].sort((a, b) => a.key.localeCompare(b.key));
  const shown = selected ? all.filter((f) => f.key === selected) : all;
  const of = <T extends { vendor: Vendor; platformFamily: string }>(list: T[] | undefined, f: Family) =>
    (list ?? []).filter((x) => familyKey(x.vendor, x.platformFamily) === f.key);

  const pick = (key: string) =>
    setParams((p) => {
      const [vendor, family] = key ? key.split('/') : [];
      if (vendor && family) {
        p.set('vendor', vendor);
        p.set('family', family);
      } else {
        p.delete('vendor');
        p.delete('family');
      }
      return p;
    });
  const loading = entries.isPending || images.isPending;
  const exportFilter = selected ? { vendor: params.get('vendor'), platformFamily: params.get('family') } : {};

  return (
    <section className="page matrix-page">
      <div className="page-head">
        <div>
          <h1>Compatibility matrix</h1>
          <p className="muted">
            Which releases upgrade in service to which, per platform family. Pre-checks read it before every upgrade.{' '}
            <Link to="/images">Images</Link>
          </p>
        </div>
        <div className="page-actions">
          <a className="btn" href={`/api/v1/compatibility/export.csv${qs(exportFilter)}`} download>
            Export CSV
          </a>
          {mayWrite && (
            <button type="button" className="btn btn-primary" onClick={() => setImporting(true)}>
              Import CSV
            </button>
          )}
        </div>
      </div>
      <div className="toolbar">
        <select aria-label="Platform family" value={selected} onChange={(e) => pick(e.target.value)}>
          <option value="">All families</option>
          {all.map((f) => (
            <option key={f.key} value={f.key}>
              {familyLabel(f)}
            </option>
          ))}
        </select>
      </div>
      <MatrixLegend />
      {mayWrite && shown.length > 0 && (
        <p className="muted small-text">Choose a cell to set its level. Rows are the release a device runs now.</p>
      )}
      {notice && <Banner kind={notice.kind}>{notice.text}</Banner>}
      {entries.error && <Banner kind="error">{friendlyError(entries.error, 'could not load the matrix')}</Banner>}
      {images.error && <Banner kind="error">{friendlyError(images.error, 'could not load the images')}</Banner>}
      {loading && <p className="empty">Loading the matrix…</p>}
      {!loading && all.length === 0 && (
        <p className="empty">
          No releases yet. Register images{mayWrite ? ' or import the vendor’s matrix as CSV' : ''} to fill the matrix.
        </p>
      )}
      {!loading && selected && shown.length === 0 && <p className="empty">No family {selected.replace('/', ' ')}.</p>}
      {!loading &&
        shown.map((f) => (
          <MatrixGrid
            key={f.key}
            family={f}
            entries={of(entries.data?.items, f)}
            images={of(images.data?.items, f)}
            onEdit={mayWrite ? setEditing : undefined}
          />
        ))}
      {editing && (
        <MatrixCellDialog
          pair={editing}
          onClose={() => setEditing(null)}
          onSaved={(text) => {
            setEditing(null);
            setNotice({ kind: 'success', text });
            void refresh();
          }}
        />
      )}
      {importing && (
        <MatrixImportDialog
          onClose={() => setImporting(false)}
          onImported={(text) => {
            setImporting(false);
            setNotice({ kind: 'success', text });
            void refresh();
          }}
        />
      )}
    </section>
  );
}
