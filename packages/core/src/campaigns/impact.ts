// The predicted impact of upgrading one device, from its read-only pre-checks.
import type { Impact } from '@hitless/contracts';
import { failed, type CheckResult, type PrecheckOutcome } from '../issu/checks.ts';

/** Rules whose evidence carries a compatibility level: the inventory's matrix and the device's own (Cisco). */
export const COMPATIBILITY_RULES: readonly string[] = ['compatibility', 'device-matrix'];
/** Rules that decide between ISSU and the disruptive FSU. */
const PROCEDURE_RULES: readonly string[] = [...COMPATIBILITY_RULES, 'issu-barrier'];

const line = (c: CheckResult) => `${c.title}: ${c.detail}`;
const levelOf = (c: CheckResult): unknown => c.evidence?.['level'];

/**
 * REFUSE → REFUSED (reason: the failing checks' details); FSU → FSU; ISSU → ISSU_B when a
 * compatibility check (inventory's or the device's own matrix) says Base level, else ISSU_C.
 */
export function impactOf(outcome: PrecheckOutcome): { impact: Impact; reason: string | null } {
  switch (outcome.decision) {
    case 'REFUSE': {
      const failing = failed(outcome.results);
      return {
        impact: 'REFUSED',
        reason:
          failing.length > 0
            ? failing.map(line).join('; ')
            : 'the pre-checks found no upgrade procedure for this device',
      };
    }
    case 'FSU': {
      const why = outcome.results.filter((c) => PROCEDURE_RULES.includes(c.rule) && c.verdict !== 'pass');
      return {
        impact: 'FSU',
        reason: `disruptive Fast Software Upgrade (the device reloads and forwarding stops)${why.length > 0 ? `: ${why.map(line).join('; ')}` : ''}`,
      };
    }
    case 'ISSU': {
      const base = outcome.results.filter((c) => COMPATIBILITY_RULES.includes(c.rule) && levelOf(c) === 'B');
      return base.length > 0
        ? { impact: 'ISSU_B', reason: base.map(line).join('; ') }
        : { impact: 'ISSU_C', reason: null };
    }
    default: {
      const unreachable: never = outcome.decision;
      throw new Error(`unknown pre-check decision ${String(unreachable)}`);
    }
  }
}
