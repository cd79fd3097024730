// Pre-checks and post-checks: pure rules over what the drivers read from a device. Each rule
// gives a verdict with the evidence it was based on, so a change manager can see why.
import type { CompatLevel } from '@hitless/contracts';
import { decideCompatibility } from '../compatibility.ts';
import type { HealthSnapshot } from '../run-context.ts';

export type Verdict = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  rule: string;
  title: string;
  verdict: Verdict;
  detail: string;
  evidence?: Record<string, unknown>;
}

const check = (
  rule: string,
  title: string,
  verdict: Verdict,
  detail: string,
  evidence?: Record<string, unknown>,
): CheckResult => ({
  rule,
  title,
  verdict,
  detail,
  ...(evidence && { evidence }),
});

export interface ImageFacts {
  fileName: string;
  version: string;
  sizeBytes: number;
  md5: string | null;
  sha256: string | null;
  releaseDate: string | null;
}

// ---- versions -------------------------------------------------------------------------------

/** "03.06.00.E" → [3, 6, 0]; null for other notations. */
export function xeRelease(version: string): [number, number, number] | null {
  const m = /^0?(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/**
 * The permanent ISSU barrier of the Catalyst 4500 (seed 003): no ISSU between a release before
 * IOS XE 3.6.0E and one from 3.6.0E on, in either direction.
 */
export function crossesIssuBarrier(family: string, from: string, to: string): boolean {
  if (family !== 'cat4500') return false;
  const a = xeRelease(from);
  const b = xeRelease(to);
  if (!a || !b) return false;
  const before = (v: [number, number, number]) => v[0] < 3 || (v[0] === 3 && v[1] < 6);
  return before(a) !== before(b);
}

/** Whole months from one calendar date to another (negative when `to` is earlier). */
export function monthsBetween(from: string, to: string): number {
  const a = new Date(`${from}T00:00:00Z`);
  const b = new Date(`${to}T00:00:00Z`);
  let months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  if (b.getUTCDate() < a.getUTCDate()) months -= Math.sign(months) || -1;
  return months;
}

/** The FAQ's support window: ISSU between releases posted within 18 months of each other. */
export const ISSU_WINDOW_MONTHS = 18;

function compatCheck(
  level: CompatLevel | null,
  from: string,
  to: string,
  allowDisruptive: boolean,
): { result: CheckResult; procedure: 'ISSU' | 'FSU' | null } {
  const d = decideCompatibility(level, { allowDisruptive });
  const verdict: Verdict = d.verdict === 'go' ? 'pass' : d.verdict === 'warn' || d.verdict === 'fsu' ? 'warn' : 'fail';
  return {
    result: check('compatibility', 'Compatibility matrix', verdict, d.reason, { from, to, level }),
    procedure: d.procedure,
  };
}

function windowCheck(current: ImageFacts | null, target: ImageFacts): CheckResult {
  if (!current?.releaseDate || !target.releaseDate) {
    return check(
      'support-window',
      '18-month support window',
      'warn',
      'release dates unknown: the 18-month ISSU window cannot be checked',
      {
        current: current?.releaseDate ?? null,
        target: target.releaseDate,
      },
    );
  }
  const months = monthsBetween(current.releaseDate, target.releaseDate);
  const evidence = { current: current.releaseDate, target: target.releaseDate, months };
  return Math.abs(months) <= ISSU_WINDOW_MONTHS
    ? check('support-window', '18-month support window', 'pass', `releases ${Math.abs(months)} months apart`, evidence)
    : check(
        'support-window',
        '18-month support window',
        'warn',
        `releases ${Math.abs(months)} months apart, beyond the ${ISSU_WINDOW_MONTHS}-month window ISSU is supported in`,
        evidence,
      );
}

export interface PrecheckOutcome {
  results: CheckResult[];
  /** ISSU, the disruptive Fast Software Upgrade, or nothing at all. */
  decision: 'ISSU' | 'FSU' | 'REFUSE';
}

function outcome(results: CheckResult[], procedure: 'ISSU' | 'FSU' | null): PrecheckOutcome {
  const failed = results.some((r) => r.verdict === 'fail');
  return { results, decision: failed || !procedure ? 'REFUSE' : procedure };
}

// ---- Cisco pre-checks -----------------------------------------------------------------------

export interface CiscoPrecheckInput {
  family: string;
  hardwareMode: string | null;
  peerPresent: boolean;
  configuredMode: string | null;
  operatingMode: string | null;
  peerState: string;
  nsf: { configured: boolean; evidence: string[] };
  issuStates: string[];
  runningVersions: { active: string | null; standby: string | null };
  current: ImageFacts | null;
  target: ImageFacts;
  /** The target file on each RP's file system (null: not found), and the free space there. */
  files: { active: { present: boolean; freeBytes: number }; standby: { present: boolean; freeBytes: number } };
  /** Digests the device computed for the target file on each RP (null when not present). */
  digests: { active: string | null; standby: string | null };
  /** The inventory's matrix entry for the version pair. */
  compatLevel: CompatLevel | null;
  /**
   * The device's own stored matrix (`show issu comp-matrix stored`, seed 003): what its running
   * image says of the target release, null when it has no entry for it.
   */
  deviceMatrix: { myVersion: string; level: CompatLevel | null };
  allowDisruptive: boolean;
}

const STRICTNESS: Record<CompatLevel, number> = { C: 2, B: 1, I: 0 };

/** Of two matrix answers, the one that allows less; an unknown entry never overrides a known one. */
export function stricterLevel(a: CompatLevel | null, b: CompatLevel | null): CompatLevel | null {
  if (a === null) return null;
  if (b === null) return a;
  return STRICTNESS[a] <= STRICTNESS[b] ? a : b;
}

function deviceMatrixCheck(input: CiscoPrecheckInput): CheckResult {
  const { level, myVersion } = input.deviceMatrix;
  const to = input.target.version;
  const evidence = { runningImage: myVersion, target: to, level, inventoryLevel: input.compatLevel };
  const title = "The device's own compatibility matrix";
  if (level === null) {
    return check(
      'device-matrix',
      title,
      'warn',
      `the running image (${myVersion}) has no stored entry for ${to}`,
      evidence,
    );
  }
  if (level === 'I') {
    const disagree =
      input.compatLevel && input.compatLevel !== 'I' ? `, though the inventory's matrix says ${input.compatLevel}` : '';
    return check(
      'device-matrix',
      title,
      input.allowDisruptive ? 'warn' : 'fail',
      `the device says ${to} is incompatible (Incomp) with its running image ${myVersion}${disagree}: ISSU is impossible${input.allowDisruptive ? '; a disruptive Fast Software Upgrade was allowed' : ''}`,
      evidence,
    );
  }
  return check(
    'device-matrix',
    title,
    level === 'B' ? 'warn' : 'pass',
    level === 'B'
      ? `the device says base-level compatible (Base) from ${myVersion}: some subsystems will not keep state`
      : `the device says compatible (Comp) from ${myVersion}`,
    evidence,
  );
}

export function ciscoPrechecks(input: CiscoPrecheckInput): PrecheckOutcome {
  const r: CheckResult[] = [];
  r.push(
    input.peerPresent && input.hardwareMode !== 'Simplex'
      ? check('two-rps', 'Two route processors', 'pass', 'both RPs are present', { hardwareMode: input.hardwareMode })
      : check(
          'two-rps',
          'Two route processors',
          'fail',
          'the peer RP is missing: ISSU needs an active and a standby RP',
          { hardwareMode: input.hardwareMode },
        ),
  );
  r.push(
    input.configuredMode === 'SSO' && input.operatingMode === 'SSO'
      ? check('sso', 'Stateful switchover', 'pass', 'SSO configured and operating', {
          configured: input.configuredMode,
          operating: input.operatingMode,
        })
      : check(
          'sso',
          'Stateful switchover',
          'fail',
          `SSO must be configured and operating (configured ${input.configuredMode ?? '?'}, operating ${input.operatingMode ?? '?'})`,
          {
            configured: input.configuredMode,
            operating: input.operatingMode,
          },
        ),
  );
  r.push(
    input.peerState === 'STANDBY HOT'
      ? check('standby-hot', 'Standby RP STANDBY HOT', 'pass', 'peer state STANDBY HOT')
      : check('standby-hot', 'Standby RP STANDBY HOT', 'fail', `peer state is ${input.peerState}, not STANDBY HOT`, {
          peerState: input.peerState,
        }),
  );
  r.push(
    input.nsf.configured
      ? check('nsf', 'Nonstop forwarding', 'pass', 'NSF / graceful restart configured', {
          evidence: input.nsf.evidence,
        })
      : check(
          'nsf',
          'Nonstop forwarding',
          'fail',
          'NSF is not configured on any routing process (seed 003 prerequisite)',
        ),
  );
  r.push(
    input.issuStates.length > 0 && input.issuStates.every((s) => s === 'Init')
      ? check('issu-init', 'ISSU state Init', 'pass', 'no ISSU in progress')
      : check(
          'issu-init',
          'ISSU state Init',
          'fail',
          `ISSU state is ${[...new Set(input.issuStates)].join(' / ') || 'unknown'}; finish or abort it first`,
          { states: input.issuStates },
        ),
  );
  r.push(
    input.runningVersions.active && input.runningVersions.active === input.runningVersions.standby
      ? check('same-version', 'Both RPs on one release', 'pass', `both run ${input.runningVersions.active}`)
      : check(
          'same-version',
          'Both RPs on one release',
          'fail',
          `the RPs run different releases (${input.runningVersions.active ?? '?'} / ${input.runningVersions.standby ?? '?'})`,
          input.runningVersions,
        ),
  );
  for (const side of ['active', 'standby'] as const) {
    const f = input.files[side];
    const title = `Image on the ${side} RP`;
    if (f.present)
      r.push(check(`image-${side}`, title, 'pass', `${input.target.fileName} present`, { freeBytes: f.freeBytes }));
    else if (f.freeBytes < input.target.sizeBytes) {
      r.push(
        check(
          `image-${side}`,
          title,
          'fail',
          `${input.target.fileName} is missing and the disk has ${f.freeBytes} bytes free, less than the image's ${input.target.sizeBytes}`,
          { freeBytes: f.freeBytes, sizeBytes: input.target.sizeBytes },
        ),
      );
    } else
      r.push(
        check(`image-${side}`, title, 'fail', `${input.target.fileName} is missing; copy it to the ${side} RP first`, {
          freeBytes: f.freeBytes,
        }),
      );
    const digest = input.digests[side];
    const expected = input.target.md5 ?? input.target.sha256;
    if (f.present) {
      r.push(
        !expected
          ? check(`checksum-${side}`, `Checksum on the ${side} RP`, 'warn', 'no registered checksum to compare with')
          : digest === expected
            ? check(`checksum-${side}`, `Checksum on the ${side} RP`, 'pass', 'matches the registered checksum', {
                digest,
              })
            : check(
                `checksum-${side}`,
                `Checksum on the ${side} RP`,
                'fail',
                'the image on the device does not match the registered checksum: corrupt or a different build',
                { expected, actual: digest },
              ),
      );
    }
  }
  const from = input.current?.version ?? input.runningVersions.active ?? '?';
  const inventory = compatCheck(input.compatLevel, from, input.target.version, input.allowDisruptive);
  r.push(inventory.result);
  r.push(deviceMatrixCheck(input));
  // Either matrix saying no is a no: the procedure follows the stricter of the two.
  const compat =
    inventory.procedure === null
      ? inventory
      : compatCheck(
          stricterLevel(input.compatLevel, input.deviceMatrix.level),
          from,
          input.target.version,
          input.allowDisruptive,
        );
  const barrier = crossesIssuBarrier(input.family, from, input.target.version);
  r.push(
    barrier
      ? check(
          'issu-barrier',
          'ISSU barrier',
          input.allowDisruptive ? 'warn' : 'fail',
          `${from} → ${input.target.version} crosses the IOS XE 3.6.0E barrier: no ISSU across it`,
          { from, to: input.target.version },
        )
      : check('issu-barrier', 'ISSU barrier', 'pass', 'no ISSU barrier between the releases'),
  );
  r.push(windowCheck(input.current, input.target));
  const procedure = barrier ? (input.allowDisruptive ? 'FSU' : null) : compat.procedure;
  // FSU never needs a hot standby on the new image; everything else still applies.
  return outcome(r, procedure);
}

// ---- Junos pre-checks -----------------------------------------------------------------------

export interface JunosPrecheckInput {
  routingEngines: { slot: number; state: string; version: string | null }[];
  statements: string[];
  switchoverReady: boolean;
  current: ImageFacts | null;
  target: ImageFacts;
  packagePresent: boolean;
  packageDigest: string | null;
  varAvailBytes: number | null;
  compatLevel: CompatLevel | null;
}

const PREREQUISITES = [
  ['gres', 'Graceful switchover (GRES)', 'set chassis redundancy graceful-switchover'],
  ['nsr', 'Nonstop active routing (NSR)', 'set routing-options nonstop-routing'],
  ['commit-sync', 'Commit synchronize', 'set system commit synchronize'],
] as const;

export function junosPrechecks(input: JunosPrecheckInput): PrecheckOutcome {
  const r: CheckResult[] = [];
  const master = input.routingEngines.find((re) => re.state === 'Master');
  const backup = input.routingEngines.find((re) => re.state === 'Backup');
  r.push(
    master && backup
      ? check('two-res', 'Two routing engines', 'pass', `re${master.slot} master, re${backup.slot} backup`)
      : check('two-res', 'Two routing engines', 'fail', 'ISSU needs a master and a ready backup routing engine', {
          routingEngines: input.routingEngines,
        }),
  );
  for (const [rule, title, statement] of PREREQUISITES) {
    r.push(
      input.statements.includes(statement)
        ? check(rule, title, 'pass', statement)
        : check(rule, title, 'fail', `missing: ${statement}`),
    );
  }
  r.push(
    input.switchoverReady
      ? check('switchover-ready', 'Backup RE in sync', 'pass', 'show system switchover: Ready, Steady State')
      : check('switchover-ready', 'Backup RE in sync', 'fail', 'the backup RE is not ready for a graceful switchover'),
  );
  r.push(
    master?.version && master.version === backup?.version
      ? check('same-version', 'Both REs on one release', 'pass', `both run ${master.version}`)
      : check(
          'same-version',
          'Both REs on one release',
          'fail',
          `the REs run different releases (${master?.version ?? '?'} / ${backup?.version ?? '?'})`,
        ),
  );
  const expected = input.target.md5 ?? input.target.sha256;
  if (!input.packagePresent)
    r.push(check('package', 'Package in /var/tmp', 'fail', `${input.target.fileName} is not in /var/tmp`));
  else {
    r.push(check('package', 'Package in /var/tmp', 'pass', `/var/tmp/${input.target.fileName} present`));
    r.push(
      !expected
        ? check('checksum', 'Package checksum', 'warn', 'no registered checksum to compare with')
        : input.packageDigest === expected
          ? check('checksum', 'Package checksum', 'pass', 'matches the registered checksum')
          : check(
              'checksum',
              'Package checksum',
              'fail',
              'the package does not match the registered checksum: corrupt or a different build',
              { expected, actual: input.packageDigest },
            ),
    );
  }
  const needed = input.target.sizeBytes * 2;
  r.push(
    input.varAvailBytes === null
      ? check('storage', 'Free space in /var', 'warn', '/var usage unknown')
      : input.varAvailBytes >= needed
        ? check('storage', 'Free space in /var', 'pass', `${input.varAvailBytes} bytes free`, {
            availBytes: input.varAvailBytes,
          })
        : check(
            'storage',
            'Free space in /var',
            'fail',
            `${input.varAvailBytes} bytes free in /var; the upgrade needs about ${needed}`,
            { availBytes: input.varAvailBytes, neededBytes: needed },
          ),
  );
  const compat = compatCheck(
    input.compatLevel,
    input.current?.version ?? master?.version ?? '?',
    input.target.version,
    false,
  );
  r.push(compat.result);
  return outcome(r, compat.procedure === 'ISSU' ? 'ISSU' : null);
}

// ---- post-checks ----------------------------------------------------------------------------

/** A neighbour that keeps its session but loses this share of its prefixes is worth a warning. */
const PREFIX_DROP_WARN = 0.1;

export function comparePostchecks(
  before: HealthSnapshot,
  after: HealthSnapshot,
  versions: { expected: string; actual: string | null },
): CheckResult[] {
  const r: CheckResult[] = [];
  r.push(
    versions.actual === versions.expected
      ? check('post-version', 'Active runs the new release', 'pass', versions.expected)
      : check(
          'post-version',
          'Active runs the new release',
          'fail',
          `the active runs ${versions.actual ?? '?'} instead of ${versions.expected}`,
          versions,
        ),
  );
  const afterItf = new Map(after.interfaces.map((i) => [i.name, i.up]));
  const lostItf = before.interfaces.filter((i) => i.up && afterItf.get(i.name) !== true).map((i) => i.name);
  r.push(
    lostItf.length === 0
      ? check(
          'post-interfaces',
          'Interfaces still up',
          'pass',
          `${before.interfaces.filter((i) => i.up).length} interfaces up before and after`,
        )
      : check('post-interfaces', 'Interfaces still up', 'fail', `down after the switchover: ${lostItf.join(', ')}`, {
          down: lostItf,
        }),
  );
  const afterBgp = new Map(after.bgp.map((b) => [b.peer, b]));
  const lostPeers: string[] = [];
  const shrunk: string[] = [];
  for (const b of before.bgp.filter((x) => x.established)) {
    const a = afterBgp.get(b.peer);
    if (!a?.established) lostPeers.push(b.peer);
    else if (b.prefixes && a.prefixes !== null && a.prefixes < b.prefixes * (1 - PREFIX_DROP_WARN))
      shrunk.push(`${b.peer} (${b.prefixes} → ${a.prefixes})`);
  }
  r.push(
    lostPeers.length > 0
      ? check('post-bgp', 'BGP neighbours', 'fail', `sessions lost after the switchover: ${lostPeers.join(', ')}`, {
          lost: lostPeers,
        })
      : shrunk.length > 0
        ? check('post-bgp', 'BGP neighbours', 'warn', `fewer prefixes from ${shrunk.join(', ')}`, { shrunk })
        : check(
            'post-bgp',
            'BGP neighbours',
            'pass',
            `${before.bgp.filter((x) => x.established).length} sessions established before and after, prefixes kept`,
          ),
  );
  return r;
}

export const failed = (results: CheckResult[]) => results.filter((c) => c.verdict === 'fail');
