// socket.io events, server → browser. The browser can always rebuild its view from the REST API;
// events only say that something changed and, where cheap, carry the new state.
import { z } from 'zod';
import { Device } from './devices.ts';

export const DeviceUpdatedEvent = z.object({
  // 'bulk': many devices changed at once (an import); clients refetch.
  action: z.enum(['created', 'updated', 'deleted', 'bulk']),
  id: z.string(),
  /** Absent for deletions. */
  device: Device.optional(),
});
export type DeviceUpdatedEvent = z.infer<typeof DeviceUpdatedEvent>;

export interface ServerToClientEvents {
  'device.updated': (event: DeviceUpdatedEvent) => void;
}

export type ClientToServerEvents = Record<string, never>;

/** socket.io rooms. Every authenticated socket joins `inventory`. */
export const Rooms = {
  inventory: 'inventory',
} as const;
