// The campaign as it runs: progress overall and per wave, a grid of its devices coloured by state
// (each opens its run), and the gate waiting for an approver with the previous wave's results.
import type { CampaignDetail, CampaignDeviceDto, CampaignDeviceState } from '@hitless/contracts';
import { Link } from 'react-router';
import { runStatusLabel } from '../components/runs.tsx';
import {
  DONE_STATES,
  DeviceStateBadge,
  STATE_ORDER,
  deviceStateLabel,
  waveLabeler,
  wavesOf,
  type WaveInfo,
} from './CampaignCommon.tsx';
import type { CampaignAction } from './CampaignDialogs.tsx';
import { DeviceLink } from '../components/DeviceLink.tsx';

function counts(devices: CampaignDeviceDto[]): Map<CampaignDeviceState, number> {
  const m = new Map<CampaignDeviceState, number>();
  for (const d of devices) m.set(d.state, (m.get(d.state) ?? 0) + 1);
  return m;
}

export function ProgressBar({ devices, label }: { devices: CampaignDeviceDto[]; label: string }) {
  const total = devices.length;
  const m = counts(devices);
  const done = DONE_STATES.reduce((a, s) => a + (m.get(s) ?? 0), 0);
  return (
    <div className="cprogress-row">
      <span className="cprogress-label">{label}</span>
      <div
        className="cbar"
        role="progressbar"
        aria-label={`${label} progress`}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
      >
        {STATE_ORDER.filter((s) => s !== 'PENDING').map((s) => {
          const n = m.get(s) ?? 0;
          return n > 0 ? (
            <span
              key={s}
              className={`seg seg-${s.toLowerCase()}`}
              style={{ width: `${(n / total) * 100}%` }}
              title={`${deviceStateLabel(s)}: ${n}`}
            />
          ) : null;
        })}
      </div>
      <span className="cprogress-count muted">
        {done}/{total}
      </span>
    </div>
  );
}

function Legend({ devices }: { devices: CampaignDeviceDto[] }) {
  const m = counts(devices);
  return (
    <div className="legend">
      {STATE_ORDER.filter((s) => (m.get(s) ?? 0) > 0).map((s) => (
        <span key={s} className="legend-item">
          <span className={`swatch seg-${s.toLowerCase()}`} aria-hidden /> {deviceStateLabel(s)} {m.get(s)}
        </span>
      ))}
    </div>
  );
}

function Tile({ d }: { d: CampaignDeviceDto }) {
  const body = (
    <>
      <span className="tile-host">{d.hostname}</span>
      <span className="tile-state">{deviceStateLabel(d.state)}</span>
      {d.state === 'RUNNING' && d.currentStep && <span className="tile-step">{d.currentStep}</span>}
    </>
  );
  const cls = `tile tile-${d.state.toLowerCase()}`;
  return d.runId ? (
    <Link
      to={`/runs/${d.runId}`}
      className={cls}
      data-hostname={d.hostname}
      data-state={d.state}
      title={`${d.hostname}: ${deviceStateLabel(d.state)}, open its run`}
    >
      {body}
    </Link>
  ) : (
    <div
      className={cls}
      data-hostname={d.hostname}
      data-state={d.state}
      title={`${d.hostname}: ${deviceStateLabel(d.state)}`}
    >
      {body}
    </div>
  );
}

function GatePanel({
  c,
  waves,
  onAction,
}: {
  c: CampaignDetail;
  waves: WaveInfo[];
  onAction: (a: CampaignAction) => void;
}) {
  if (c.gateWave === null) return null;
  const label = waveLabeler(waves)(c.gateWave);
  const devices = c.devices.filter((d) => d.wave === c.gateWave);
  const live = c.status === 'RUNNING' || c.status === 'PAUSED';
  return (
    <div className="gate" role="region" aria-label="Gate">
      <div className="gate-head">
        <div>
          <div className="gate-title">Gate after {label}</div>
          <div className="muted">
            {live
              ? c.can.openGate
                ? 'The next wave waits for your decision. Results of the wave:'
                : 'The next wave waits for an approver to open the gate. Results of the wave:'
              : 'Results of the wave before the gate:'}
          </div>
        </div>
        {c.can.openGate && (
          <div className="page-actions">
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => onAction({ kind: 'gate-open', wave: c.gateWave!, waveLabel: label })}
            >
              Open gate
            </button>
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => onAction({ kind: 'gate-halt', wave: c.gateWave!, waveLabel: label })}
            >
              Halt
            </button>
          </div>
        )}
      </div>
      <table className="grid gate-results" aria-label={`Results of ${label}`}>
        <tbody>
          {devices.map((d) => (
            <tr key={d.deviceId}>
              <td className="strong">
                <DeviceLink id={d.deviceId} hostname={d.hostname} />
                {d.runId && (
                  <>
                    {' '}
                    <Link to={`/runs/${d.runId}`} className="small-text" aria-label={`Run of ${d.hostname}`}>
                      run
                    </Link>
                  </>
                )}
              </td>
              <td>
                <DeviceStateBadge state={d.state} />
              </td>
              <td className="muted">{d.runStatus ? `run ${runStatusLabel(d.runStatus).toLowerCase()}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function LiveView({ c, onAction }: { c: CampaignDetail; onAction: (a: CampaignAction) => void }) {
  const waves = wavesOf(c);
  const label = waveLabeler(waves);
  const active = c.status === 'RUNNING' || c.status === 'PAUSED';
  const unplaced = c.devices.filter((d) => d.wave === null);
  const indices = [
    ...new Set([...waves.map((w) => w.index), ...c.devices.flatMap((d) => (d.wave === null ? [] : [d.wave]))]),
  ];
  const groups: { key: string; title: string; devices: CampaignDeviceDto[] }[] = [
    ...indices
      .sort((a, b) => a - b)
      .map((w) => ({ key: String(w), title: label(w), devices: c.devices.filter((d) => d.wave === w) })),
    ...(unplaced.length > 0 ? [{ key: 'none', title: 'Not in a wave', devices: unplaced }] : []),
  ];
  return (
    <section className="live-view" aria-label="Progress">
      <GatePanel c={c} waves={waves} onAction={onAction} />
      <div className="section-head">
        <h2>Progress</h2>
        <Legend devices={c.devices} />
      </div>
      <div className="cprogress-list">
        <ProgressBar devices={c.devices} label="Overall" />
        {groups.map((g) => (
          <ProgressBar key={g.key} devices={g.devices} label={g.title} />
        ))}
      </div>
      <div className="tile-waves" aria-label="Devices">
        {groups.map((g) => (
          <div key={g.key} className="tile-wave" data-wave={g.key}>
            <div className="side-title">
              {g.title}
              {active && c.gateWave === null && c.currentWave !== null && String(c.currentWave) === g.key && (
                <span className="flag flag-info">now</span>
              )}
              {c.openedGates.includes(Number(g.key)) && <span className="flag">gate opened</span>}
            </div>
            <div className="tiles">
              {g.devices.map((d) => (
                <Tile key={d.deviceId} d={d} />
              ))}
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}
