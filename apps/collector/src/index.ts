export { startCollector, type Collector, type CollectorOptions } from './collector.ts';
