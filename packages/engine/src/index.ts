export { runUpgrade, type RunnerDeps } from './runner.ts';
export { WorkerStopping } from './errors.ts';
export { STALE_MS } from './lease.ts';
export { RunRecorder, type LoadedRun } from './recorder.ts';
export { discover, runDiscovery, type DiscoveryDeps } from './discovery.ts';
export { connect, needsLegacySsh, sshTargetOf, vendorOf, type AnyDriver } from './device-access.ts';
export { hostKeyPolicyOf, pinOnFirstUse, refuseHostKey } from './host-keys.ts';
export { runCampaignPrecheck, type CampaignPrecheckDeps, type CampaignPrecheckPayload } from './campaign-precheck.ts';
export { runCampaignTick, SCHEDULER_LOCK, type CampaignTickDeps, type TickOutcome } from './campaign-tick.ts';
