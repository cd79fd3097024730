// The plan preview: per device what its upgrade would do (hitless ISSU, ISSU losing state, the
// disruptive FSU, refused with the failing check's evidence, no target, busy, unreachable), the
// waves with their expected durations, and whether the whole fits the window. Predictions not
// made yet read "checking…".
import type { CampaignDetail, CampaignDeviceDto, CheckResultDto } from '@hitless/contracts';
import { VENDOR_LABELS } from '@hitless/contracts';
import { Link } from 'react-router';
import {
  IMPACT_LABEL,
  IMPACT_ORDER,
  ImpactBadge,
  formatSpan,
  waveLabeler,
  wavesOf,
  type WaveInfo,
} from './CampaignCommon.tsx';
import { dateTime } from '../time.ts';

/** The prediction is being made (or will be): a preview was asked for and this one is older. */
export const isChecking = (c: CampaignDetail, d: CampaignDeviceDto) =>
  c.previewRequestedAt !== null && (d.predictionStale || d.impact === null);

function Evidence({ checks }: { checks: CheckResultDto[] }) {
  const failing = checks.filter((c) => c.verdict !== 'pass');
  const shown = failing.length > 0 ? failing : checks;
  return (
    <details className="evidence">
      <summary>
        {failing.length > 0
          ? `${failing.length} check${failing.length === 1 ? '' : 's'} not passed`
          : `${checks.length === 1 ? 'the check' : `all ${checks.length} checks`} passed`}
      </summary>
      <ul className="checks">
        {shown.map((c) => (
          <li key={c.rule} className={`check-${c.verdict}`}>
            <span className="verdict">{c.verdict}</span> {c.title}
            <div className="muted check-detail">{c.detail}</div>
            {c.evidence && Object.keys(c.evidence).length > 0 && (
              <pre className="evidence-json">{JSON.stringify(c.evidence, null, 2)}</pre>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}

function FitLine({ c }: { c: CampaignDetail }) {
  const p = c.plan;
  if (!p)
    return (
      <p className="muted">
        The waves, their expected durations and the fit to the window appear once every device has been checked.
      </p>
    );
  const label = { yes: 'fits', no: 'does not fit', unknown: 'fit unknown' }[p.fits];
  return (
    <div className="plan-fit">
      <span className={`fit fit-${p.fits}`} data-fits={p.fits}>
        {label}
      </span>
      <span>
        expected {p.expectedMs === null ? 'duration unknown' : formatSpan(p.expectedMs)} of {formatSpan(p.openMs)} open
        in the window
      </span>
      <span className="muted">
        failure budget {p.failureBudgetDevices} device{p.failureBudgetDevices === 1 ? '' : 's'}
      </span>
      {p.durations.length > 0 && (
        <span className="muted" title="run duration per platform family used for the estimate">
          per run:{' '}
          {p.durations
            .map((d) => `${d.platformFamily} ${formatSpan(d.ms)} (${d.samples ? `median of ${d.samples}` : 'default'})`)
            .join(', ')}
        </span>
      )}
    </div>
  );
}

function WaveTable({ c, waves }: { c: CampaignDetail; waves: WaveInfo[] }) {
  const label = waveLabeler(waves);
  const host = new Map(c.devices.map((d) => [d.deviceId, d.hostname]));
  return (
    <div className="table-wrap">
      <table className="grid" aria-label="Waves">
        <thead>
          <tr>
            <th>Wave</th>
            <th>Devices</th>
            <th>Expected</th>
            <th>Then</th>
          </tr>
        </thead>
        <tbody>
          {waves.map((w) => (
            <tr key={w.index} data-wave={w.index}>
              <td className="strong">{label(w.index)}</td>
              <td className="cell-wrap">
                <span className="muted">{w.deviceIds.length} · </span>
                {w.deviceIds.map((id) => host.get(id) ?? id).join(', ')}
              </td>
              <td>{w.expectedMs === null ? <span className="muted">unknown</span> : formatSpan(w.expectedMs)}</td>
              <td>
                {w.gateAfter ? <span className="flag flag-info">gate: an approver opens the next wave</span> : '—'}
              </td>
            </tr>
          ))}
          {waves.length === 0 && (
            <tr>
              <td colSpan={4} className="empty">
                No wave yet: the devices are placed in waves by the preview.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

export function ImpactSummary({ c }: { c: CampaignDetail }) {
  const devices = c.devices;
  const checking = devices.filter((d) => isChecking(c, d)).length;
  return (
    <div className="impact-summary" role="group" aria-label="Impact summary">
      {IMPACT_ORDER.map((i) => {
        const n = devices.filter((d) => d.impact === i).length;
        return n > 0 ? (
          <span key={i} className={`impact impact-${i.toLowerCase()}`}>
            {IMPACT_LABEL[i]}: {n}
          </span>
        ) : null;
      })}
      {checking > 0 && <span className="impact impact-checking">checking…: {checking}</span>}
    </div>
  );
}

export function PlanPreview({ c }: { c: CampaignDetail }) {
  const waves = wavesOf(c);
  const label = waveLabeler(waves);
  const version = new Map(c.targets.map((t) => [t.imageId, t.version]));
  // A draft's devices carry no wave yet; the plan it would be submitted with places them.
  const planned = new Map(c.plan?.devices.map((d) => [d.deviceId, d.wave]) ?? []);
  const waveOf = (d: CampaignDeviceDto) => (planned.has(d.deviceId) ? (planned.get(d.deviceId) ?? null) : d.wave);
  return (
    <section className="plan" aria-label="Plan preview">
      <div className="section-head">
        <h2>Plan</h2>
        <span className="muted">
          {c.devices.length} device{c.devices.length === 1 ? '' : 's'}
          {c.previewRequestedAt && ` · preview asked ${dateTime(c.previewRequestedAt)}`}
        </span>
        <span className="muted plan-hash">
          plan hash {c.planHash ? <span className="mono">{c.planHash}</span> : 'not yet (made at submission)'}
        </span>
      </div>
      {c.previewRequestedAt === null && (
        <p className="muted">
          Not previewed yet: Preview plan resolves the selection
          {c.selection.kind === 'ids'
            ? ` (${c.selection.deviceIds.length} device${c.selection.deviceIds.length === 1 ? '' : 's'} picked)`
            : ' (by filter)'}{' '}
          and checks every device, read-only, for what its upgrade would do.
        </p>
      )}
      <ImpactSummary c={c} />
      <FitLine c={c} />
      {waves.length > 0 && <WaveTable c={c} waves={waves} />}
      {c.devices.length > 0 && (
        <div className="table-wrap">
          <table className="grid" aria-label="Devices in the plan">
            <thead>
              <tr>
                <th>Device</th>
                <th>Platform</th>
                <th>Group</th>
                <th>From → to</th>
                <th>Wave</th>
                <th>Predicted impact</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {c.devices.map((d) => (
                <tr key={d.deviceId} data-hostname={d.hostname}>
                  <td className="strong">
                    <Link to={`/devices/${d.deviceId}`}>{d.hostname}</Link>
                  </td>
                  <td className="cell-wrap cell-platform">
                    <span className={`vendor vendor-${d.vendor.toLowerCase()}`}>{VENDOR_LABELS[d.vendor]}</span>{' '}
                    <span className="nowrap">{d.platform}</span>
                  </td>
                  <td>{d.redundancyGroup ?? <span className="muted">—</span>}</td>
                  <td className="mono cell-wrap cell-versions">
                    {d.currentVersion ?? '?'} →{' '}
                    <span className="nowrap">{d.imageId ? (version.get(d.imageId) ?? '?') : '—'}</span>
                  </td>
                  <td className="cell-wave">
                    {waveOf(d) === null ? <span className="muted">{c.plan ? 'excluded' : '—'}</span> : label(waveOf(d))}
                  </td>
                  <td>
                    {c.previewRequestedAt === null && d.impact === null ? (
                      <span className="muted">not checked</span>
                    ) : (
                      <ImpactBadge impact={d.impact} pending={isChecking(c, d)} />
                    )}
                  </td>
                  <td className="cell-wrap cell-why">
                    {d.impactReason && <div>{d.impactReason}</div>}
                    {d.checks && d.checks.length > 0 && <Evidence checks={d.checks} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
