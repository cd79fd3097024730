// socket.io events, server → browser. The browser can always rebuild its view from the REST API;
// events only say that something changed and, where cheap, carry the new state.
import { z } from 'zod';
import type { CampaignUpdatedEvent } from './campaigns.ts';
import { Device } from './devices.ts';
import { Run, RunStep } from './runs.ts';
import type { SyslogMessageEvent } from './syslog.ts';

export const DeviceUpdatedEvent = z.object({
  // 'bulk': many devices changed at once (an import); clients refetch.
  action: z.enum(['created', 'updated', 'deleted', 'bulk']),
  id: z.string(),
  /** Absent for deletions. */
  device: Device.optional(),
});
export type DeviceUpdatedEvent = z.infer<typeof DeviceUpdatedEvent>;

export const RunUpdatedEvent = z.object({ run: Run });
export type RunUpdatedEvent = z.infer<typeof RunUpdatedEvent>;

/** A step changed (started, ended); its transcript arrives separately as `step.output`. */
export const StepUpdatedEvent = z.object({
  runId: z.string(),
  step: RunStep.omit({ transcript: true }).extend({ transcriptLength: z.number().int() }),
});
export type StepUpdatedEvent = z.infer<typeof StepUpdatedEvent>;

/** New transcript text of a step; `offset` is where it starts, so a client can tell a gap. */
export const StepOutputEvent = z.object({
  runId: z.string(),
  stepId: z.string(),
  offset: z.number().int(),
  text: z.string(),
});
export type StepOutputEvent = z.infer<typeof StepOutputEvent>;

/**
 * Credentials ended (logout, password change or reset, user disabled or deleted, API token
 * revoked): every api instance disconnects the sockets in the event's rooms (`session:`,
 * `user:`, `token:`). It is listed here because the event stream carries these events, but
 * live.ts acts on it instead of emitting it: it never reaches a browser.
 */
export const AuthRevokedEvent = z.object({
  reason: z.enum(['logout', 'password_changed', 'password_reset', 'user_disabled', 'user_deleted', 'token_revoked']),
});
export type AuthRevokedEvent = z.infer<typeof AuthRevokedEvent>;

export interface ServerToClientEvents {
  'device.updated': (event: DeviceUpdatedEvent) => void;
  'run.updated': (event: RunUpdatedEvent) => void;
  'step.updated': (event: StepUpdatedEvent) => void;
  'step.output': (event: StepOutputEvent) => void;
  'auth.revoked': (event: AuthRevokedEvent) => void;
  /** A campaign, one of its devices or its plan changed: refetch it. */
  'campaign.updated': (event: CampaignUpdatedEvent) => void;
  /** Syslog messages just stored: to `device:<id>`, `run:<id>` and `syslog` (every message). */
  'syslog.message': (event: SyslogMessageEvent) => void;
}

export interface ClientToServerEvents {
  /** Join a room (`run:<id>`, `device:<id>`); the ack says whether it was allowed. */
  subscribe: (room: string, ack: (result: { ok: boolean; error?: string }) => void) => void;
  unsubscribe: (room: string) => void;
}

/**
 * socket.io rooms. Every authenticated socket joins `inventory` and `runs`, and the private
 * rooms of the credentials it authenticated with (`session:`/`token:` and `user:`), which only
 * `auth.revoked` addresses and no client may subscribe to.
 */
export const Rooms = {
  inventory: 'inventory',
  runs: 'runs',
  campaigns: 'campaigns',
  campaign: (id: string) => `campaign:${id}`,
  /** Every syslog message, for the explorer's live tail. */
  syslog: 'syslog',
  run: (id: string) => `run:${id}`,
  device: (id: string) => `device:${id}`,
  session: (id: string) => `session:${id}`,
  user: (id: string) => `user:${id}`,
  token: (id: string) => `token:${id}`,
} as const;

/** Rooms a client may ask to join. */
export const SUBSCRIBABLE_ROOM = /^((run|device|campaign):[0-9a-f-]{36}|syslog)$/;
