// The campaigns a device belongs to, for its device page.
import { z } from 'zod';
import { Id, IsoDate } from './common.ts';
import { CampaignDeviceState, CampaignStatus } from './campaigns.ts';
import { RunStatus } from './runs.ts';

export const DeviceCampaign = z.object({
  id: Id,
  name: z.string(),
  ticket: z.string(),
  status: CampaignStatus,
  /**
   * The device's own state in the campaign, its wave, and its run there (if one started). Null for a
   * draft that names the device but has not been previewed yet (its devices are planned then).
   */
  deviceState: CampaignDeviceState.nullable(),
  wave: z.number().int().nullable(),
  runId: Id.nullable(),
  runStatus: RunStatus.nullable(),
  /** The release the campaign takes the device to (its target image for the device's family), if set. */
  targetVersion: z.string().nullable(),
  windowStart: IsoDate,
  windowEnd: IsoDate,
  timeZone: z.string(),
  createdAt: IsoDate,
});
export type DeviceCampaign = z.infer<typeof DeviceCampaign>;

export const DeviceCampaignList = z.object({ items: z.array(DeviceCampaign) });
export type DeviceCampaignList = z.infer<typeof DeviceCampaignList>;
