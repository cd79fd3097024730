// Post-checks: health after the switchover against the snapshot taken before anything changed,
// ignoring what always changes (uptimes, counters).
import type { HealthSnapshot } from '../run-context.ts';
import { check, type CheckResult } from './checks.ts';

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
