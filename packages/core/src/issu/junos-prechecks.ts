// Junos pre-checks (seed 001): two REs on one release, GRES, NSR and commit synchronize, the
// backup in sync, the package in /var/tmp with its checksum and room in /var, the matrix.
import type { CompatLevel } from '@hitless/contracts';
import { check, compatCheck, outcome, type CheckResult, type ImageFacts, type PrecheckOutcome } from './checks.ts';

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
