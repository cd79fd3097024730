// The Cisco compatibility matrix (seed 003): C = compatible, B = base-level compatible (some
// HA-aware subsystems lose state), I = incompatible (no ISSU; Fast Software Upgrade only).
import type { CompatLevel } from '@hitless/contracts';

export type CompatDecision =
  | { verdict: 'go'; procedure: 'ISSU'; reason: string }
  | { verdict: 'warn'; procedure: 'ISSU'; reason: string }
  | { verdict: 'fsu'; procedure: 'FSU'; reason: string }
  | { verdict: 'refuse'; procedure: null; reason: string };

export function decideCompatibility(level: CompatLevel | null, options: { allowDisruptive: boolean }): CompatDecision {
  switch (level) {
    case 'C':
      return {
        verdict: 'go',
        procedure: 'ISSU',
        reason: 'images are compatible (C): in-service upgrade with minimal impact',
      };
    case 'B':
      return {
        verdict: 'warn',
        procedure: 'ISSU',
        reason: 'images are base-level compatible (B): the upgrade succeeds but some subsystems will not keep state',
      };
    case 'I':
      return options.allowDisruptive
        ? {
            verdict: 'fsu',
            procedure: 'FSU',
            reason: 'images are incompatible (I): disruptive Fast Software Upgrade allowed by the operator',
          }
        : {
            verdict: 'refuse',
            procedure: null,
            reason: 'images are incompatible (I): ISSU is impossible and a disruptive upgrade was not allowed',
          };
    case null:
      return {
        verdict: 'refuse',
        procedure: null,
        reason: 'no compatibility entry for this version pair: register it before upgrading',
      };
    default: {
      const unreachable: never = level;
      throw new Error(`unknown compatibility level ${String(unreachable)}`);
    }
  }
}
