// A vendor port: how the turn loop reads one vendor's device (the observation its procedures
// decide from, the health snapshot, the running release) and sends its commands. The procedures
// in core name a command; its spec names the action; the port performs the action.
import type { ProcedureKind } from '@hitless/contracts';
import type { CheckResult, HealthSnapshot } from '@hitless/core';
import type { SoftwareImage } from '@hitless/db';
import type { EngineConfig } from '@hitless/config';
import type { LoadedRun, RunRecorder } from './recorder.ts';
import type { DeviceSession } from './session.ts';
import type { StepHandle } from './step.ts';

export interface Observation<Obs> {
  obs: Obs;
  /** Seconds until the device rolls itself back (Cisco's rollback timer), null when none runs. */
  rollbackSeconds: number | null;
}

/** What the pre-checks found, ready to be written into the run. */
export interface PrecheckRecord {
  results: CheckResult[];
  decision: 'ISSU' | 'FSU' | 'REFUSE';
  procedure: ProcedureKind;
  original: string;
  fromVersion: string;
  originalMaster?: number;
}

export interface VendorPort<Obs, Action extends string> {
  prechecks(run: LoadedRun): Promise<PrecheckRecord>;
  /** Changes chosen at start that go to the device right after the checks (Cisco: the rollback timer). */
  applyOptions(run: LoadedRun, step: StepHandle): Promise<void>;
  observe(run: LoadedRun): Promise<Observation<Obs>>;
  snapshot(): Promise<HealthSnapshot>;
  /** What the active RP / master RE runs now, as the procedure names it (Cisco: image file; Junos: release). */
  activeVersion(run: LoadedRun): Promise<string | null>;
  send(action: Action, run: LoadedRun, step: StepHandle): Promise<string>;
}

export interface PortDeps {
  session: DeviceSession;
  rec: RunRecorder;
  engine: EngineConfig;
  image: SoftwareImage;
  family: string;
}
