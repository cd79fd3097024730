export {
  RUN_OPERATOR_AUDIT_ACTIONS,
  runInclude,
  toOperatorActions,
  toRunDetail,
  toRunDto,
  toStepDto,
  type RunAuditRow,
  type RunRow,
} from './runs.ts';
export { discoveryInclude, toDiscoveryDto, type DiscoveryRow } from './discoveries.ts';
export {
  CAMPAIGN_DEVICE_STATES,
  campaignCan,
  campaignDetailInclude,
  campaignInclude,
  countStates,
  factsOf,
  localDateTime,
  planOf,
  strategyOf,
  targetOf,
  toCampaignDetail,
  toCampaignDeviceDto,
  toCampaignDto,
  windowOf,
  type CampaignDetailRow,
  type CampaignDeviceRow,
  type CampaignExtras,
  type CampaignRow,
} from './campaigns.ts';
export { syslogInclude, toSyslogDto, type SyslogDtoInput, type SyslogRow } from './syslog.ts';
