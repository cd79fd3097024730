// Cisco pre-checks (seed 003): two RPs in SSO with the standby hot, NSF, ISSU Init, the image
// and its checksum on both file systems with room, both matrices (the inventory's and the
// device's own), the Catalyst 4500 barrier and the 18-month window.
import type { CompatLevel } from '@hitless/contracts';
import {
  check,
  compatCheck,
  crossesIssuBarrier,
  outcome,
  windowCheck,
  type CheckResult,
  type ImageFacts,
  type PrecheckOutcome,
} from './checks.ts';

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
