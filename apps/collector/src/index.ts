export { startCollector, type Collector, type CollectorOptions } from './collector.ts';
export { DeviceMatcher, normaliseAddress } from './matcher.ts';
export { dropsInTable, kernelUdpDrops } from './kernel-drops.ts';
export { pruneSyslog } from './retention.ts';
