// How a device's state reads wherever it appears: compliance against the golden release, the ISSU
// state of the last discovery, the newest run, and why Upgrade is not offered.
import { VENDOR_LABELS, type Device, type DeviceCompliance, type Vendor } from '@hitless/contracts';
import { Link } from 'react-router';
import { dateTime } from '../time.ts';
import { RunStatusBadge } from './runs.tsx';
import './devices.css';

const COMPLIANCE: Record<DeviceCompliance['status'], { label: string; title: (golden: string | null) => string }> = {
  compliant: { label: 'golden', title: (g) => `runs the golden release ${g ?? ''} of its family` },
  behind: { label: 'behind', title: (g) => `older than the golden release ${g ?? ''} of its family` },
  ahead: { label: 'ahead', title: (g) => `newer than the golden release ${g ?? ''} of its family` },
  'no-golden': { label: 'no golden', title: () => 'no golden release is marked for its family (Images)' },
  unknown: { label: 'unknown', title: () => 'its release is not known, or cannot be ordered against the golden one' },
};

export function ComplianceBadge({ compliance }: { compliance: DeviceCompliance }) {
  const c = COMPLIANCE[compliance.status];
  return (
    <span
      className={`compliance compliance-${compliance.status}`}
      title={c.title(compliance.goldenVersion)}
      data-compliance={compliance.status}
    >
      {c.label}
      {(compliance.status === 'behind' || compliance.status === 'ahead') && compliance.goldenVersion && (
        <span className="mono"> {compliance.goldenVersion}</span>
      )}
    </span>
  );
}

export function IssuState({ state }: { state: string | null }) {
  if (!state) return <span className="muted">—</span>;
  return <span className={`issu-state${/^init$/i.test(state) ? '' : ' issu-state-busy'}`}>{state}</span>;
}

export function LastRun({ run }: { run: Device['lastRun'] }) {
  if (!run) return <span className="muted">none</span>;
  const when = run.finishedAt ?? run.startedAt;
  return (
    <Link to={`/runs/${run.id}`} className="last-run" title={when ? dateTime(when) : 'not started yet'}>
      <RunStatusBadge status={run.status} /> <span className="mono small-text">→ {run.targetVersion}</span>
    </Link>
  );
}

/** Why a device cannot be upgraded now, in words; null when it can. */
export function upgradeBlocker(d: Pick<Device, 'credentialName' | 'offeredHostKey'>): string | null {
  if (d.offeredHostKey) return 'host key changed: an admin must accept it first';
  if (!d.credentialName) return 'no credential: assign one to upgrade';
  return null;
}

/** The `<option>`s of every vendor, in the contract's order, for a vendor select. */
export function VendorOptions() {
  return (
    <>
      {(Object.keys(VENDOR_LABELS) as Vendor[]).map((v) => (
        <option key={v} value={v}>
          {VENDOR_LABELS[v]}
        </option>
      ))}
    </>
  );
}
