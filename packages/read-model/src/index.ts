export { runInclude, toRunDetail, toRunDto, toStepDto, type RunRow } from './runs.ts';
export { discoveryInclude, toDiscoveryDto, type DiscoveryRow } from './discoveries.ts';
