export * from './errors.ts';
export { clean, parseClock, parseUptime } from './text.ts';
export {
  CliSession,
  type Answer,
  type RunOptions,
  type RunResult,
  type SessionOptions,
  type SshTarget,
  type Vendor,
} from './transport/session.ts';
export type { SessionObserver } from './transport/observer.ts';
export {
  checkHostKey,
  clientAlgorithms,
  LEGACY_ALGORITHMS,
  seenHostKey,
  type HostKey,
  type HostKeyPolicy,
} from './transport/host-key.ts';
export { Transcript, terminalText, type TranscriptEntry } from './transport/transcript.ts';
export * as cisco from './cisco/parsers.ts';
export * as junos from './junos/parsers.ts';
export { CiscoDriver } from './cisco/driver.ts';
export { JunosDriver, type IssuStreamResult } from './junos/driver.ts';
export { PARSERS, findParser, type ParserEntry } from './registry.ts';
export { iosVersionOfPackage } from './cisco/packages.ts';
