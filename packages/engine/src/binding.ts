// Binds a procedure from core to its vendor's port: observe with the port, decide with the
// procedure, and for a command decision hand over the command's spec (its checkpoint) and a
// sender that performs its action. The procedure's types meet the port's here, once.
import {
  PROCEDURES,
  ciscoStateOf,
  junosStateOf,
  type CheckpointKey,
  type CiscoAction,
  type CiscoObserved,
  type CommandSpec,
  type Decision,
  type JunosAction,
  type JunosObserved,
  type OperatorFlags,
  type Timing,
  guardCommand,
} from '@hitless/core';
import type { ProcedureKind } from '@hitless/contracts';
import type { VendorPort } from './ports.ts';
import type { LoadedRun } from './recorder.ts';
import type { StepHandle } from './step.ts';

/** A command decision, ready to go: the checkpoint it writes, and the send. */
export interface BoundCommand {
  checkpoint: CheckpointKey;
  /** Changes what the device forwards with (a switchover): its step asks what that cost in traffic. */
  disruptive: boolean;
  send(run: LoadedRun, step: StepHandle): Promise<string>;
}

export interface Turn {
  decision: Decision;
  /** Seconds until the device rolls itself back, when it shows a rollback timer running. */
  rollbackSeconds: number | null;
  command: BoundCommand | null;
}

export interface ProcedureBinding {
  turn(run: LoadedRun, timing: Timing): Promise<Turn>;
}

interface Decides<O, S, C extends string, A extends string> {
  commands: Readonly<Record<C, CommandSpec<A>>>;
  decide(obs: O, state: S, flags: OperatorFlags): Decision<C, string>;
}

function bind<O, S, C extends string, A extends string>(
  procedure: Decides<O, S, C, A>,
  port: VendorPort<O, A>,
  stateOf: (run: LoadedRun, timing: Timing) => S,
): ProcedureBinding {
  return {
    async turn(run, timing) {
      const { obs, rollbackSeconds } = await port.observe(run);
      const decided = procedure.decide(obs, stateOf(run, timing), run.flags);
      // A command decided again while its effect is not visible goes through core's rule.
      const decision =
        decided.kind === 'command'
          ? guardCommand(decided, procedure.commands[decided.command], run.cp, timing)
          : decided;
      if (decision.kind !== 'command') return { decision, rollbackSeconds, command: null };
      const spec = procedure.commands[decision.command];
      return {
        decision,
        rollbackSeconds,
        command: {
          checkpoint: spec.checkpoint,
          disruptive: spec.disruptive,
          send: (r, step) => port.send(spec.action, r, step),
        },
      };
    },
  };
}

export interface Ports {
  cisco: () => VendorPort<CiscoObserved, CiscoAction>;
  junos: () => VendorPort<JunosObserved, JunosAction>;
}

export function bindingFor(kind: ProcedureKind, ports: Ports): ProcedureBinding {
  switch (kind) {
    case 'CISCO_ISSU':
      return bind(PROCEDURES.CISCO_ISSU, ports.cisco(), (r, t) => ciscoStateOf(r.ctx, t));
    case 'CISCO_FSU':
      return bind(PROCEDURES.CISCO_FSU, ports.cisco(), (r, t) => ciscoStateOf(r.ctx, t));
    case 'JUNOS_ISSU':
      return bind(PROCEDURES.JUNOS_ISSU, ports.junos(), (r, t) => junosStateOf(r.ctx, r.options, t));
    default: {
      const unreachable: never = kind;
      throw new Error(`no procedure ${String(unreachable)}`);
    }
  }
}
