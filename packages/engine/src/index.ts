export { runUpgrade, WorkerStopping, type RunnerDeps } from './runner.ts';
export { RunRecorder, type RunContext } from './recorder.ts';
export { discover } from './discovery.ts';
export { connect, sshTargetOf, vendorOf, type AnyDriver } from './device-access.ts';
export { toRunDto, toStepDto, runInclude, checkpointsOf, type RunRow } from './dto.ts';
