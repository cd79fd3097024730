// Discoveries as the API answers them.
import { DeviceFacts, type Discovery as DiscoveryDto } from '@hitless/contracts';
import type { Discovery, Prisma } from '@hitless/db';

export const discoveryInclude = {
  device: { select: { hostname: true } },
  requestedBy: { select: { username: true } },
} as const satisfies Prisma.DiscoveryInclude;

export type DiscoveryRow = Discovery & { device: { hostname: string }; requestedBy: { username: string } | null };

export function toDiscoveryDto(d: DiscoveryRow): DiscoveryDto {
  return {
    id: d.id,
    deviceId: d.deviceId,
    deviceHostname: d.device.hostname,
    status: d.status,
    facts: d.facts === null ? null : DeviceFacts.parse(d.facts),
    error: d.error,
    requestedBy: d.requestedBy?.username ?? '(deleted user)',
    createdAt: d.createdAt.toISOString(),
    startedAt: d.startedAt?.toISOString() ?? null,
    endedAt: d.endedAt?.toISOString() ?? null,
  };
}
