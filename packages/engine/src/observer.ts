// What the engine tells whoever watches it (the worker's metrics): each step's end with how long
// it took, each run it ends, and, through the driver, its SSH sessions. The engine knows nothing
// of metrics libraries. Labels stay bounded: procedures, step names from core's step tables and
// statuses are closed sets; no run, device or host is named. An observer must not throw.
import type { ProcedureKind, RunStatus } from '@hitless/contracts';
import type { SessionObserver } from '@hitless/drivers';

export interface StepEnded {
  procedure: ProcedureKind;
  step: string;
  status: 'SUCCEEDED' | 'FAILED' | 'SKIPPED';
  /** From the step's start in this process to its end being written. */
  seconds: number;
}

export interface RunFinished {
  procedure: ProcedureKind;
  status: RunStatus;
}

export interface EngineObserver extends SessionObserver {
  stepEnded?(e: StepEnded): void;
  /** This driver ended the run (a terminal status was written). */
  runFinished?(e: RunFinished): void;
}
