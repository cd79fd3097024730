// A device's facts as the last discovery read them: its route processors or routing engines, the
// redundancy mode and ISSU state, the ISSU prerequisites, and the file systems with their free space.
import { DeviceFacts as DeviceFactsSchema, type Device } from '@hitless/contracts';
import { ComplianceBadge, IssuState } from '../components/devices.tsx';
import { dateTime } from '../time.ts';

const PREREQUISITES: Record<string, string> = {
  sso: 'SSO redundancy',
  standbyHot: 'Standby hot',
  nsf: 'NSF',
  gracefulSwitchover: 'GRES (graceful switchover)',
  nonstopRouting: 'NSR (nonstop routing)',
  commitSynchronize: 'Commit synchronize',
  backupInSync: 'Backup RE in sync',
};

function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

export function ComplianceSummary({ device }: { device: Device }) {
  return (
    <section className="panel device-panel" aria-labelledby="device-release">
      <h2 id="device-release" className="side-title">
        Release
      </h2>
      <dl className="kv">
        <dt>Current</dt>
        <dd className="mono">{device.currentVersion ?? <span className="muted">unknown</span>}</dd>
        <dt>Golden ({device.platformFamily})</dt>
        <dd className="mono">{device.compliance.goldenVersion ?? <span className="muted">none marked</span>}</dd>
        <dt>Compliance</dt>
        <dd>
          <ComplianceBadge compliance={device.compliance} />
        </dd>
        <dt>ISSU state</dt>
        <dd>
          <IssuState state={device.issuState} />
        </dd>
      </dl>
    </section>
  );
}

export function DeviceFactsPanel({ device }: { device: Device }) {
  const parsed = device.facts ? DeviceFactsSchema.safeParse(device.facts) : null;
  if (!parsed) {
    return (
      <section className="panel device-panel device-facts" aria-labelledby="device-facts">
        <h2 id="device-facts" className="side-title">
          Facts from discovery
        </h2>
        <p className="muted">
          Not discovered yet. Discover reads the device&apos;s processors, redundancy and ISSU state.
        </p>
      </section>
    );
  }
  if (!parsed.success) {
    return (
      <section className="panel device-panel device-facts" aria-labelledby="device-facts">
        <h2 id="device-facts" className="side-title">
          Facts from discovery
        </h2>
        <p className="warn-text">The stored facts are in a form this page cannot read; discover the device again.</p>
      </section>
    );
  }
  const f = parsed.data;
  const prerequisites = Object.entries(f.prerequisites);
  return (
    <section className="panel device-panel device-facts" aria-labelledby="device-facts">
      <h2 id="device-facts" className="side-title">
        Facts from discovery <span className="muted small-text">{dateTime(f.discoveredAt)}</span>
      </h2>
      <dl className="kv">
        <dt>Model</dt>
        <dd>{f.model ?? '—'}</dd>
        <dt>Redundancy mode</dt>
        <dd>{f.redundancyMode ?? '—'}</dd>
        <dt>ISSU state</dt>
        <dd>
          <IssuState state={f.issuState} />
        </dd>
        {prerequisites.map(([k, ok]) => (
          <div key={k} className="kv-row">
            <dt>{PREREQUISITES[k] ?? k}</dt>
            <dd className={ok ? 'ok-text' : 'bad-text'}>{ok ? 'yes' : 'no'}</dd>
          </div>
        ))}
      </dl>
      <div className="table-wrap">
        <table className="grid" aria-label="Route processors">
          <thead>
            <tr>
              <th>{f.family === 'mx' ? 'RE' : 'RP'}</th>
              <th>Role</th>
              <th>State</th>
              <th>Release</th>
              <th>Image</th>
              <th>Serial</th>
            </tr>
          </thead>
          <tbody>
            {f.processors.map((p) => (
              <tr key={p.slot}>
                <td className="strong">{p.slot}</td>
                <td>{p.role}</td>
                <td>{p.state}</td>
                <td className="mono">{p.version ?? '—'}</td>
                <td className="mono cell-wrap">{p.image ?? '—'}</td>
                <td className="mono">{p.serial ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {f.filesystems && f.filesystems.length > 0 ? (
        <div className="table-wrap">
          <table className="grid" aria-label="File systems">
            <thead>
              <tr>
                <th>File system</th>
                <th>On</th>
                <th>Size</th>
                <th>Free</th>
              </tr>
            </thead>
            <tbody>
              {f.filesystems.map((fs) => (
                <tr key={`${fs.slot ?? ''}${fs.name}`}>
                  <td className="mono">{fs.name}</td>
                  <td>{fs.slot ?? '—'}</td>
                  <td>{bytes(fs.totalBytes)}</td>
                  <td>
                    {bytes(fs.freeBytes)}{' '}
                    <span className="muted">
                      ({fs.totalBytes > 0 ? Math.round((fs.freeBytes / fs.totalBytes) * 100) : 0}%)
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted small-text">No file systems in this discovery; discover again to read them.</p>
      )}
    </section>
  );
}
