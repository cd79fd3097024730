// How campaigns look wherever they appear (status and impact badges, the window in its zone,
// counts), the campaign detail query with its live room, and the clock corrected by serverTime.
import type {
  Campaign,
  CampaignDetail,
  CampaignDeviceState,
  CampaignStatus,
  Impact,
  RunUpdatedEvent,
} from '@hitless/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '../api.ts';
import { useRoom } from '../live.tsx';
import { zoneLabel } from '../time.ts';

export const campaignKey = (id: string) => ['campaigns', 'detail', id];

const STATUS_LABEL: Record<CampaignStatus, string> = {
  DRAFT: 'Draft',
  PENDING_APPROVAL: 'Waiting for approval',
  APPROVED: 'Approved',
  REJECTED: 'Rejected',
  SCHEDULED: 'Scheduled',
  RUNNING: 'Running',
  PAUSED: 'Paused',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
  ABORTED: 'Aborted',
  EXPIRED: 'Expired',
};

export const campaignStatusLabel = (s: CampaignStatus) => STATUS_LABEL[s];

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  return (
    <span className={`status cstatus-${status.toLowerCase()}`} data-status={status}>
      {STATUS_LABEL[status]}
    </span>
  );
}

const STATE_LABEL: Record<CampaignDeviceState, string> = {
  PENDING: 'Pending',
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  ROLLED_BACK: 'Rolled back',
  REFUSED: 'Refused',
  ABORTED: 'Aborted',
  SKIPPED: 'Skipped',
  EXCLUDED: 'Excluded',
};
export const deviceStateLabel = (s: CampaignDeviceState) => STATE_LABEL[s];
/** States in which a device is done with this campaign, in the order bars and legends show them. */
export const DONE_STATES: readonly CampaignDeviceState[] = [
  'SUCCEEDED',
  'FAILED',
  'ROLLED_BACK',
  'REFUSED',
  'ABORTED',
  'SKIPPED',
  'EXCLUDED',
];
/** Every state in legend order: done ones first, then running, then waiting. */
export const STATE_ORDER: readonly CampaignDeviceState[] = [...DONE_STATES, 'RUNNING', 'PENDING'];

export function DeviceStateBadge({ state }: { state: CampaignDeviceState }) {
  return (
    <span className={`status dstate-${state.toLowerCase()}`} data-state={state}>
      {STATE_LABEL[state]}
    </span>
  );
}

export const IMPACT_LABEL: Record<Impact, string> = {
  ISSU_C: 'Hitless ISSU (C)',
  ISSU_B: 'ISSU with state loss (B)',
  FSU: 'Disruptive FSU',
  REFUSED: 'Refused',
  NO_TARGET: 'No target',
  BUSY: 'Busy',
  UNREACHABLE: 'Unreachable',
};
export const IMPACT_ORDER = Object.keys(IMPACT_LABEL) as Impact[];

/** A prediction not yet made (or older than the last preview request) reads "checking…". */
export function ImpactBadge({ impact, pending }: { impact: Impact | null; pending?: boolean }) {
  if (pending || !impact)
    return (
      <span className="impact impact-checking" data-impact="CHECKING">
        checking…
      </span>
    );
  return (
    <span className={`impact impact-${impact.toLowerCase()}`} data-impact={impact}>
      {IMPACT_LABEL[impact]}
    </span>
  );
}

/** "2026-03-08 01:30 → 05:30" from the window's local wall-clock times (its zone apart). */
export function formatWindowTimes(w: Campaign['window']): string {
  const [sd, st] = w.start.split('T') as [string, string];
  const [ed, et] = w.end.split('T') as [string, string];
  const end = sd === ed ? et.slice(0, 5) : `${ed} ${et.slice(0, 5)}`;
  return `${sd} ${st.slice(0, 5)} → ${end}`;
}

/** "2026-03-08 01:30 → 05:30 Europe/Berlin". */
export function formatWindow(w: Campaign['window']): string {
  return `${formatWindowTimes(w)} ${w.timeZone}`;
}

/** The same window as this browser's clock reads it: "your time 01:30 → 05:30 UTC". */
export function windowHere(w: Campaign['window']): string {
  const start = new Date(w.startAt);
  const end = new Date(w.endAt);
  const sameDay = start.toDateString() === end.toDateString();
  const day = (d: Date) => d.toLocaleDateString(undefined, { dateStyle: 'medium' });
  const hm = (d: Date) => d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return `your time ${day(start)} ${hm(start)} → ${sameDay ? '' : `${day(end)} `}${hm(end)} ${zoneLabel(start)}`;
}

/** Whether this browser is in the window's own zone (then one reading is enough). */
const hereIsWindowZone = (w: Campaign['window']) => Intl.DateTimeFormat().resolvedOptions().timeZone === w.timeZone;

/** The window in its own zone and, when this browser is elsewhere, in the reader's zone beside it. */
export function WindowTimes({ window: w }: { window: Campaign['window'] }) {
  return (
    <>
      <span className="mono">{formatWindow(w)}</span>
      {!hereIsWindowZone(w) && <span className="muted small-text"> ({windowHere(w)})</span>}
    </>
  );
}

export function totalDevices(c: Pick<Campaign, 'counts'>): number {
  return Object.values(c.counts).reduce((a, b) => a + (b ?? 0), 0);
}

export function doneDevices(c: Pick<Campaign, 'counts'>): number {
  return DONE_STATES.reduce((a, s) => a + (c.counts[s] ?? 0), 0);
}

/** "1 h 20 min" / "3 d 4 h": coarse, for windows and estimates. */
export function formatSpan(ms: number): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  if (min < 1) return `${Math.max(0, Math.round(ms / 1000))} s`;
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${String(min % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export const shortHash = (h: string | null) => (h ? `${h.slice(0, 12)}…` : '—');

/**
 * The campaign detail, refetched when its room says it changed (campaign.updated) and when one of
 * its runs changes (run.updated reaches every socket). Also after every (re)join of the room.
 */
export function useCampaign(id: string) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: campaignKey(id),
    queryFn: () => api.get<CampaignDetail>(`/api/v1/campaigns/${id}`),
    staleTime: Infinity,
  });
  const refetch = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: campaignKey(id) }),
    [queryClient, id],
  );
  useRoom(
    `campaign:${id}`,
    {
      'campaign.updated': ({ campaignId }) => {
        if (campaignId === id) refetch();
      },
      'run.updated': ({ run }: RunUpdatedEvent) => {
        if (query.data?.devices.some((d) => d.runId === run.id || d.deviceId === run.deviceId)) refetch();
      },
    },
    refetch,
  );
  /** This browser's clock minus the server's, from the serverTime of the last response. */
  const skewMs = query.data ? query.dataUpdatedAt - Date.parse(query.data.serverTime) : 0;
  return { query, refetch, skewMs };
}

export interface WaveInfo {
  index: number;
  canary: boolean;
  deviceIds: string[];
  expectedMs: number | null;
  gateAfter: boolean;
}

/** The waves: the plan's when there is one, else as the devices are placed so far. */
export function wavesOf(c: CampaignDetail): WaveInfo[] {
  if (c.plan) return c.plan.waves;
  const byWave = new Map<number, string[]>();
  for (const d of c.devices) if (d.wave !== null) byWave.set(d.wave, [...(byWave.get(d.wave) ?? []), d.deviceId]);
  const first = Math.min(...byWave.keys());
  return [...byWave.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, deviceIds]) => {
      const canary = index === first && c.strategy.canarySize > 0;
      return {
        index,
        canary,
        deviceIds,
        expectedMs: null,
        gateAfter: canary ? c.strategy.gateAfterCanary : c.strategy.gateEveryWave,
      };
    });
}

/** "Canary", "Wave 1", "Wave 2"… counted from the first wave after the canary. */
export function waveLabeler(waves: WaveInfo[]): (index: number | null) => string {
  const hasCanary = waves.some((w) => w.canary);
  return (index) => {
    if (index === null) return 'No wave';
    if (waves.find((w) => w.index === index)?.canary) return 'Canary';
    return `Wave ${hasCanary ? index : index + 1}`;
  };
}
