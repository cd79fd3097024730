// One vendor's platform family on the Images page: its golden release and compliance, and a row
// per image with size, checksums, release date, and the devices running it or headed to it.
import type { FamilyCompliance, ImageUsage, SoftwareImage } from '@hitless/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { calendarDate, dateTime } from '../time.ts';
import { copyText, familyLabel, humanSize, plural, shortHash, type Family } from './images-format.ts';
import { RowAction } from '../components/table.tsx';

/** A checksum shortened, the whole of it in a title and copied by the button. */
function Checksum({ kind, value, version }: { kind: 'sha256' | 'md5'; value: string; version: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <div className="checksum">
      <span className="checksum-kind">{kind}</span>
      <code className="mono" title={value}>
        {shortHash(value)}
      </code>
      <button
        type="button"
        className="btn btn-small btn-quiet checksum-copy"
        aria-label={`Copy the ${kind} of ${version}`}
        onClick={() =>
          void copyText(value).then((ok) => {
            setCopied(ok);
            setTimeout(() => setCopied(null), 1500);
          })
        }
      >
        {copied === true ? 'Copied' : copied === false ? 'Copy failed' : 'Copy'}
      </button>
    </div>
  );
}

const SHOWN = 3;

/** "2 devices: pe1, pe2, +1 more", each a link to its device page. */
function Devices({
  list,
  empty,
}: {
  list: { count: number; devices: { id: string; hostname: string }[] };
  empty: string;
}) {
  if (list.count === 0) return <span className="muted">{empty}</span>;
  const more = list.count - Math.min(SHOWN, list.devices.length);
  return (
    <div className="usage-devices">
      <span className="strong">{plural(list.count, 'device')}</span>
      <span className="usage-links">
        {list.devices.slice(0, SHOWN).map((d) => (
          <Link key={d.id} to={`/devices/${d.id}`}>
            {d.hostname}
          </Link>
        ))}
        {more > 0 && <span className="muted">+{more} more</span>}
      </span>
    </div>
  );
}

export interface ImageActions {
  edit(image: SoftwareImage): void;
  upload(image: SoftwareImage): void;
  remove(image: SoftwareImage): void;
  markGolden(image: SoftwareImage): void;
  clearGolden(image: SoftwareImage): void;
  busy: boolean;
}

export function ImageFamily({
  family,
  images,
  usage,
  compliance,
  actions,
}: {
  family: Family;
  images: SoftwareImage[];
  usage: Map<string, ImageUsage>;
  compliance: FamilyCompliance | undefined;
  /** Absent for those who may not change images. */
  actions: ImageActions | undefined;
}) {
  const golden = images.find((i) => i.golden);
  const headingId = `family-${family.key.replace(/[^a-z0-9]+/gi, '-')}`;
  return (
    <section className="image-family" aria-labelledby={headingId}>
      <div className="section-head">
        <h2 id={headingId}>{familyLabel(family)}</h2>
        <span className="muted">
          {golden ? (
            <>
              Golden release <span className="mono">{golden.version}</span>
              {compliance && ` · ${compliance.onGolden} of ${plural(compliance.devices, 'device')} on it`}
            </>
          ) : (
            'No golden release marked'
          )}
        </span>
        <Link
          className="panel-link"
          to={`/images/matrix?vendor=${family.vendor}&family=${encodeURIComponent(family.platformFamily)}`}
        >
          Compatibility matrix
        </Link>
      </div>
      <div className="table-wrap">
        <table className="grid image-table" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th className="col-name">Version and file</th>
              <th className="col-size">Size</th>
              <th className="col-sums">Checksums</th>
              <th className="col-date">Released</th>
              <th className="col-use">Running it</th>
              <th className="col-use">Headed to it</th>
              {actions && <th className="col-actions" aria-label="Actions" />}
            </tr>
          </thead>
          <tbody>
            {images.map((i) => {
              const u = usage.get(i.id);
              const campaigns = u?.campaigns.length ?? 0;
              return (
                <tr key={i.id} className={i.golden ? 'image-golden' : undefined}>
                  <td className="image-name">
                    <span className="mono strong">{i.version}</span>
                    {i.golden && (
                      <span className="golden-badge" title="The recommended release of this family">
                        ★ Golden
                      </span>
                    )}
                    <div className="mono image-file" title={i.notes ?? undefined}>
                      {i.fileName}
                    </div>
                  </td>
                  <td className="nowrap" title={`${i.sizeBytes.toLocaleString()} bytes`}>
                    {humanSize(i.sizeBytes)}
                    <div className="small-text">
                      {i.content ? (
                        <span className="ok-text" title={`stored ${dateTime(i.content.storedAt)}`}>
                          file stored
                        </span>
                      ) : (
                        <span className="muted">no file</span>
                      )}
                    </div>
                  </td>
                  <td>
                    {i.sha256 && <Checksum kind="sha256" value={i.sha256} version={i.version} />}
                    {i.md5 && <Checksum kind="md5" value={i.md5} version={i.version} />}
                  </td>
                  <td className="nowrap">{calendarDate(i.releaseDate)}</td>
                  <td>{u ? <Devices list={u.running} empty="none" /> : <span className="muted">…</span>}</td>
                  <td>
                    {u ? <Devices list={u.targeting} empty="none" /> : <span className="muted">…</span>}
                    {campaigns > 0 && (
                      <div className="muted small-text">
                        {campaigns === 1 ? '1 campaign targets it' : `${campaigns} campaigns target it`}
                        {u && u.runCount > 0 && `, ${plural(u.runCount, 'run')}`}
                      </div>
                    )}
                  </td>
                  {actions && (
                    <td>
                      <div className="row-actions">
                        {i.golden ? (
                          <button
                            type="button"
                            className="btn btn-small"
                            disabled={actions.busy}
                            aria-label={`Clear golden ${i.version}`}
                            onClick={() => actions.clearGolden(i)}
                          >
                            Clear golden
                          </button>
                        ) : (
                          <button
                            type="button"
                            className="btn btn-small"
                            disabled={actions.busy}
                            aria-label={`Mark ${i.version} golden`}
                            onClick={() => actions.markGolden(i)}
                          >
                            Mark golden
                          </button>
                        )}
                        {!i.content && <RowAction label="Upload" of={i.version} onClick={() => actions.upload(i)} />}
                        <RowAction label="Edit" of={i.version} onClick={() => actions.edit(i)} />
                        <RowAction label="Delete" of={i.version} danger onClick={() => actions.remove(i)} />
                      </div>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
