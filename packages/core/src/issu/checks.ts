// Pre-checks and post-checks: pure rules over what the drivers read from a device. Each rule
// gives a verdict with the evidence it was based on, so a change manager can see why.
import type { CompatLevel } from '@hitless/contracts';
import { decideCompatibility } from '../compatibility.ts';

export type Verdict = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  rule: string;
  title: string;
  verdict: Verdict;
  detail: string;
  evidence?: Record<string, unknown>;
}

export const check = (
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

export function compatCheck(
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

export function windowCheck(current: ImageFacts | null, target: ImageFacts): CheckResult {
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

export function outcome(results: CheckResult[], procedure: 'ISSU' | 'FSU' | null): PrecheckOutcome {
  const failed = results.some((r) => r.verdict === 'fail');
  return { results, decision: failed || !procedure ? 'REFUSE' : procedure };
}

export const failed = (results: CheckResult[]) => results.filter((c) => c.verdict === 'fail');
