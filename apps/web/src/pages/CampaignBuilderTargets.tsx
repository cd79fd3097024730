// The builder's target images: one per platform family, from the registered images grouped by
// vendor and family. Families of the selected devices left without a target are flagged: those
// devices are listed "no target" in the plan and not upgraded.
import { VENDOR_LABELS, type SoftwareImage, type Vendor } from '@hitless/contracts';
import { platformFamily } from '@hitless/core';
import { useQuery } from '@tanstack/react-query';
import { api, friendlyError } from '../api.ts';
import { Banner } from '../components/ui.tsx';
import { familyKey, type CampaignForm } from './CampaignBuilderForm.ts';

interface Family {
  key: string;
  vendor: Vendor;
  family: string;
  images: SoftwareImage[];
  selected: number;
}

export function TargetImages({
  form,
  set,
  devices,
  error,
}: {
  form: CampaignForm;
  set: (patch: Partial<CampaignForm>) => void;
  /** The devices selected now (picked, or matching the filter). */
  devices: { vendor: Vendor; platform: string }[];
  error: string | undefined;
}) {
  const images = useQuery({
    queryKey: ['images', 'all'],
    queryFn: async () => (await api.get<{ items: SoftwareImage[] }>('/api/v1/images')).items,
  });
  const families = new Map<string, Family>();
  const family = (vendor: Vendor, name: string) => {
    const key = familyKey(vendor, name);
    let f = families.get(key);
    if (!f) families.set(key, (f = { key, vendor, family: name, images: [], selected: 0 }));
    return f;
  };
  for (const i of images.data ?? []) family(i.vendor, i.platformFamily).images.push(i);
  for (const d of devices) family(d.vendor, platformFamily(d.vendor, d.platform)).selected++;
  const rows = [...families.values()].sort(
    (a, b) => b.selected - a.selected || a.vendor.localeCompare(b.vendor) || a.family.localeCompare(b.family),
  );
  const setTarget = (key: string, imageId: string) => {
    const next = Object.entries(form.targets).filter(([k]) => k !== key);
    set({ targets: Object.fromEntries(imageId ? [...next, [key, imageId]] : next) });
  };

  return (
    <fieldset className="cform-section">
      <legend>Target images</legend>
      <p className="muted">
        One image per platform family. Devices of a family without a target are listed “no target” and left as they are.
      </p>
      {error && (
        <span className="field-message" role="alert">
          {error}
        </span>
      )}
      {images.error && <Banner kind="error">{friendlyError(images.error, 'could not load images')}</Banner>}
      <div className="table-wrap">
        <table className="grid" aria-label="Target images">
          <thead>
            <tr>
              <th>Vendor</th>
              <th>Family</th>
              <th>Selected devices</th>
              <th>Target</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((f) => {
              const missing = f.selected > 0 && !form.targets[f.key];
              return (
                <tr key={f.key} data-family={f.family} className={missing ? 'row-warn' : undefined}>
                  <td>
                    <span className={`vendor vendor-${f.vendor.toLowerCase()}`}>{VENDOR_LABELS[f.vendor]}</span>
                  </td>
                  <td className="mono">{f.family}</td>
                  <td>{f.selected || <span className="muted">0</span>}</td>
                  <td className="cell-target">
                    {f.images.length === 0 ? (
                      <span className="warn-text">no image registered for this family</span>
                    ) : (
                      <select
                        aria-label={`Target for ${f.family}`}
                        value={form.targets[f.key] ?? ''}
                        onChange={(e) => setTarget(f.key, e.target.value)}
                      >
                        <option value="">— no target —</option>
                        {f.images.map((i) => (
                          <option key={i.id} value={i.id}>
                            {i.version} — {i.fileName}
                          </option>
                        ))}
                      </select>
                    )}
                    {missing && <span className="flag flag-warn">no target</span>}
                  </td>
                </tr>
              );
            })}
            {images.data && rows.length === 0 && (
              <tr>
                <td colSpan={4} className="empty">
                  No images are registered yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </fieldset>
  );
}
