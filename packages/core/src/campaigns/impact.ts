// The predicted impact of upgrading one device, from its read-only pre-checks.
import type { Impact } from '@hitless/contracts';
import type { PrecheckOutcome } from '../issu/checks.ts';

/**
 * REFUSE → REFUSED (reason: the failing checks' details); FSU → FSU; ISSU → ISSU_B when a
 * compatibility check (inventory's or the device's own matrix) says Base level, else ISSU_C.
 */
export function impactOf(outcome: PrecheckOutcome): { impact: Impact; reason: string | null } {
  void outcome;
  throw new Error('not implemented');
}
