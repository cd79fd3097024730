// Software images per vendor and platform family: what each is, who runs it or is headed to it,
// the golden (recommended) release; add, edit, delete and the golden mark for operators.
import { type ImageUsageReport, type SoftwareImage, type Vendor } from '@hitless/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, friendlyError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Banner } from '../components/ui.tsx';
import { withParam } from '../url.ts';
import { DeleteImageDialog, ImageDialog } from './ImageDialog.tsx';
import { ImageFamily, type ImageActions } from './ImageFamily.tsx';
import { ImageUploadDialog } from './ImageUploadDialog.tsx';
import { byFamily, familyKey, plural } from './images-format.ts';
import './ImagesPage.css';
import { VendorOptions } from '../components/devices.tsx';

type Notice = { kind: 'error' | 'success'; text: string };

export function ImagesPage() {
  const { can } = useAuth();
  const mayWrite = can('images:write');
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const vendor = (params.get('vendor') ?? '') as Vendor | '';
  const q = params.get('q') ?? '';
  const [editing, setEditing] = useState<SoftwareImage | 'new' | null>(null);
  const [deleting, setDeleting] = useState<SoftwareImage | null>(null);
  const [uploading, setUploading] = useState<SoftwareImage | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const list = useQuery({
    queryKey: ['images', 'list'],
    queryFn: () => api.get<{ items: SoftwareImage[] }>('/api/v1/images'),
  });
  const usage = useQuery({
    queryKey: ['images', 'usage'],
    queryFn: () => api.get<ImageUsageReport>('/api/v1/images/usage'),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['images'] });

  const golden = useMutation({
    mutationFn: ({ image, on }: { image: SoftwareImage; on: boolean }) =>
      on
        ? api.post<SoftwareImage>(`/api/v1/images/${image.id}/golden`)
        : api.delete(`/api/v1/images/${image.id}/golden`),
    onSuccess: (_r, { image, on }) => {
      setNotice({
        kind: 'success',
        text: on
          ? `${image.version} is now the golden release of ${image.platformFamily}.`
          : `${image.platformFamily} has no golden release now.`,
      });
      void refresh();
      void queryClient.invalidateQueries({ queryKey: ['devices'] });
    },
    onError: (err) => setNotice({ kind: 'error', text: friendlyError(err, 'the golden mark could not be changed') }),
  });

  const images = list.data?.items;
  const usageById = useMemo(() => new Map(usage.data?.images.map((u) => [u.imageId, u])), [usage.data]);
  const compliance = useMemo(
    () => new Map(usage.data?.families.map((f) => [familyKey(f.vendor, f.platformFamily), f])),
    [usage.data],
  );
  const needle = q.trim().toLowerCase();
  const shown = (images ?? []).filter(
    (i) =>
      (!vendor || i.vendor === vendor) &&
      (!needle || [i.version, i.fileName, i.platformFamily].some((t) => t.toLowerCase().includes(needle))),
  );
  const groups = byFamily(shown);
  const families = [...new Set((images ?? []).map((i) => i.platformFamily))].sort();

  const actions: ImageActions | undefined = mayWrite
    ? {
        edit: (i) => setEditing(i),
        upload: (i) => setUploading(i),
        remove: (i) => setDeleting(i),
        markGolden: (image) => golden.mutate({ image, on: true }),
        clearGolden: (image) => golden.mutate({ image, on: false }),
        busy: golden.isPending,
      }
    : undefined;

  return (
    <section className="page images-page">
      <div className="page-head">
        <div>
          <h1>Images</h1>
          <p className="muted">
            {images
              ? `${plural(images.length, 'image')} in ${plural(byFamily(images).length, 'platform family', 'platform families')}`
              : 'Loading…'}
            . The golden image is the release each family should run.
          </p>
        </div>
        <div className="page-actions">
          <Link className="btn" to="/images/matrix">
            Compatibility matrix
          </Link>
          {mayWrite && (
            <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
              Add image
            </button>
          )}
        </div>
      </div>
      <div className="toolbar">
        <input
          type="search"
          className="search"
          aria-label="Filter images"
          placeholder="Version, file or family…"
          value={q}
          onChange={(e) => setParams((p) => withParam(p, 'q', e.target.value || null), { replace: true })}
        />
        <select
          aria-label="Vendor"
          value={vendor}
          onChange={(e) => setParams((p) => withParam(p, 'vendor', e.target.value || null))}
        >
          <option value="">All vendors</option>
          <VendorOptions />
        </select>
      </div>
      {notice && <Banner kind={notice.kind}>{notice.text}</Banner>}
      {list.error && <Banner kind="error">{friendlyError(list.error, 'could not load the images')}</Banner>}
      {usage.error && (
        <Banner kind="error">{friendlyError(usage.error, 'could not load which devices use each image')}</Banner>
      )}
      {list.isPending && <p className="empty">Loading images…</p>}
      {images && images.length === 0 && (
        <p className="empty">
          No images yet.{mayWrite ? ' Add one: upgrades and campaigns pick their targets from here.' : ''}
        </p>
      )}
      {images && images.length > 0 && groups.length === 0 && <p className="empty">No image matches these filters.</p>}
      {groups.map((g) => (
        <ImageFamily
          key={g.key}
          family={g}
          images={g.images}
          usage={usageById}
          compliance={compliance.get(g.key)}
          actions={actions}
        />
      ))}
      {editing && (
        <ImageDialog
          image={editing === 'new' ? null : editing}
          families={families}
          onClose={() => setEditing(null)}
          onSaved={(saved, created) => {
            setEditing(null);
            setNotice({ kind: 'success', text: `${created ? 'Added' : 'Saved'} ${saved.version}.` });
            void refresh();
          }}
        />
      )}
      {uploading && (
        <ImageUploadDialog
          image={uploading}
          onClose={() => setUploading(null)}
          onUploaded={() => {
            setNotice({ kind: 'success', text: `${uploading.fileName} is stored; its checksums match.` });
            void refresh();
          }}
        />
      )}
      {deleting && (
        <DeleteImageDialog
          image={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setNotice({ kind: 'success', text: `Deleted ${deleting.version}.` });
            setDeleting(null);
            void refresh();
          }}
        />
      )}
    </section>
  );
}
