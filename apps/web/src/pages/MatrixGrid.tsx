// One family's compatibility matrix: from-release rows × to-release columns, each cell its level
// as a letter on its colour, the ISSU barrier as a line and a mark, pairs beyond the 18-month
// window marked; for operators every cell is a button that changes it.
import { ISSU_WINDOW_MONTHS, barrierBoundaries, issuPairLimits, matrixReleases, type PairLimits } from '@hitless/core';
import type { CompatibilityEntry, CompatLevel, SoftwareImage } from '@hitless/contracts';
import { familyLabel, plural, type Family } from './images-format.ts';

export const LEVEL_NAMES: Record<CompatLevel, string> = {
  C: 'Compatible',
  B: 'Base-level compatible',
  I: 'Incompatible',
};

export interface Pair {
  family: Family;
  from: string;
  to: string;
  entry: CompatibilityEntry | undefined;
  limits: PairLimits;
}

/** The pair in words, for screen readers and the cell's title. */
export function describePair(p: Pair): string {
  const parts = [`${p.from} to ${p.to}: ${p.entry ? `${LEVEL_NAMES[p.entry.level]} (${p.entry.level})` : 'no entry'}`];
  if (p.limits.barrier) parts.push('crosses the ISSU barrier');
  if (p.limits.outsideWindow)
    parts.push(`releases ${p.limits.months} months apart, beyond the ${ISSU_WINDOW_MONTHS}-month window`);
  return parts.join('; ');
}

function CellBody({ pair }: { pair: Pair }) {
  return (
    <>
      <span className="matrix-letter">{pair.entry?.level ?? '–'}</span>
      {(pair.limits.barrier || pair.limits.outsideWindow) && (
        <span className="matrix-marks" aria-hidden="true">
          {pair.limits.barrier && <span className="matrix-mark">⊘</span>}
          {pair.limits.outsideWindow && <span className="matrix-mark">18+</span>}
        </span>
      )}
    </>
  );
}

export function MatrixGrid({
  family,
  entries,
  images,
  onEdit,
}: {
  family: Family;
  entries: CompatibilityEntry[];
  images: SoftwareImage[];
  /** Absent for those who may not change the matrix: cells are then read-only. */
  onEdit: ((pair: Pair) => void) | undefined;
}) {
  const releases = matrixReleases(entries, images);
  const dates = new Map(images.map((i) => [i.version, i.releaseDate]));
  const barrier = new Set(barrierBoundaries(family.platformFamily, releases));
  const byPair = new Map(entries.map((e) => [`${e.fromVersion}\u0000${e.toVersion}`, e]));
  const headingId = `matrix-${family.key.replace(/[^a-z0-9]+/gi, '-')}`;
  const edge = (i: number) => (barrier.has(i) ? ' barrier-before' : '');

  return (
    <section className="matrix-family" aria-labelledby={headingId}>
      <div className="section-head">
        <h2 id={headingId}>{familyLabel(family)}</h2>
        <span className="muted">
          {plural(releases.length, 'release')}, {plural(entries.length, 'entry', 'entries')}
          {barrier.size > 0 && ' · the red line is the ISSU barrier'}
        </span>
      </div>
      <div className="table-wrap matrix-wrap">
        <table className="matrix" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col" className="matrix-corner">
                <span>From ↓</span> <span>To →</span>
              </th>
              {releases.map((to, i) => (
                <th key={to} scope="col" className={`matrix-col${edge(i)}`}>
                  <span className="mono">{to}</span>
                  {dates.get(to) && <span className="matrix-date">{dates.get(to)}</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {releases.map((from, r) => (
              <tr key={from} className={edge(r)}>
                <th scope="row" className="matrix-row">
                  <span className="mono">{from}</span>
                  {dates.get(from) && <span className="matrix-date">{dates.get(from)}</span>}
                </th>
                {releases.map((to, c) => {
                  const cls = `matrix-cell${edge(c)}`;
                  if (from === to)
                    return (
                      <td key={to} className={`${cls} matrix-self`}>
                        <span className="visually-hidden">same release</span>
                      </td>
                    );
                  const pair: Pair = {
                    family,
                    from,
                    to,
                    entry: byPair.get(`${from}\u0000${to}`),
                    limits: issuPairLimits(family.platformFamily, from, to, dates),
                  };
                  const level = `level-${pair.entry?.level.toLowerCase() ?? 'none'}`;
                  const marks = `${pair.limits.barrier ? ' crosses-barrier' : ''}${pair.limits.outsideWindow ? ' outside-window' : ''}`;
                  const label = describePair(pair);
                  return (
                    <td key={to} className={cls}>
                      {onEdit ? (
                        <button
                          type="button"
                          className={`matrix-value ${level}${marks}`}
                          aria-label={label}
                          title={label}
                          onClick={() => onEdit(pair)}
                        >
                          <CellBody pair={pair} />
                        </button>
                      ) : (
                        <span className={`matrix-value ${level}${marks}`} title={label}>
                          <CellBody pair={pair} />
                          <span className="visually-hidden">{label}</span>
                        </span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** What the colours, letters and marks mean. */
export function MatrixLegend() {
  return (
    <div className="legend matrix-legend" aria-label="Legend">
      {(['C', 'B', 'I'] as const).map((l) => (
        <span key={l} className="legend-item">
          <span className={`matrix-value matrix-swatch level-${l.toLowerCase()}`} aria-hidden="true">
            {l}
          </span>
          {LEVEL_NAMES[l]}
          {l === 'C' ? ': ISSU' : l === 'B' ? ': ISSU, some subsystems lose state' : ': no ISSU (FSU only)'}
        </span>
      ))}
      <span className="legend-item">
        <span className="matrix-value matrix-swatch level-none" aria-hidden="true">
          –
        </span>
        No entry: upgrades refused
      </span>
      <span className="legend-item">
        <span className="matrix-swatch-mark" aria-hidden="true">
          ⊘
        </span>
        Crosses the ISSU barrier (red line)
      </span>
      <span className="legend-item">
        <span className="matrix-swatch-mark" aria-hidden="true">
          18+
        </span>
        Releases more than {ISSU_WINDOW_MONTHS} months apart
      </span>
    </div>
  );
}
