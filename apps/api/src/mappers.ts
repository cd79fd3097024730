// Database rows → API shapes (contracts). Dates become ISO strings, BigInts numbers, and
// secrets never leave: a credential says only whether it has one.
import type {
  ApiToken as ApiTokenDto,
  AuditEvent as AuditEventDto,
  CompatibilityEntry as CompatDto,
  Credential as CredentialDto,
  Device as DeviceDto,
  User as UserDto,
} from '@hitless/contracts';
import { HostKeySource } from '@hitless/contracts';
import type { ApiToken, AuditEvent, CompatibilityEntry, Credential, Device, User } from '@hitless/db';

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export function toUser(u: User): UserDto {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    disabled: u.disabled,
    mustChangePassword: u.mustChangePassword,
    createdAt: iso(u.createdAt),
    lastLoginAt: isoOrNull(u.lastLoginAt),
  };
}

export function toApiToken(t: ApiToken): ApiTokenDto {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    createdAt: iso(t.createdAt),
    expiresAt: isoOrNull(t.expiresAt),
    lastUsedAt: isoOrNull(t.lastUsedAt),
    revokedAt: isoOrNull(t.revokedAt),
  };
}

/** What a device row is read with to become a DTO: its credential's name and its pinned host keys, oldest first. */
export const DEVICE_INCLUDE = {
  credential: { select: { name: true } },
  hostKeys: {
    select: { algorithm: true, fingerprint: true, pinnedAt: true, source: true },
    orderBy: { pinnedAt: 'asc' },
  },
} as const;

export type DeviceRow = Device & {
  credential: { name: string } | null;
  hostKeys: { algorithm: string; fingerprint: string; pinnedAt: Date; source: string }[];
};

/** What a device DTO carries beside its own row (see services/device-dto.ts, which reads them). */
export type DeviceExtras = Pick<DeviceDto, 'platformFamily' | 'lastRun' | 'issuState' | 'compliance'>;

export function toDevice(d: DeviceRow, extras: DeviceExtras): DeviceDto {
  return {
    id: d.id,
    hostname: d.hostname,
    mgmtAddress: d.mgmtAddress,
    port: d.port,
    vendor: d.vendor,
    platform: d.platform,
    site: d.site,
    tags: d.tags,
    redundancyGroup: d.redundancyGroup,
    credentialId: d.credentialId,
    credentialName: d.credential?.name ?? null,
    facts: (d.facts as Record<string, unknown> | null) ?? null,
    factsUpdatedAt: isoOrNull(d.factsUpdatedAt),
    currentVersion: d.currentVersion,
    notes: d.notes,
    ...hostKeysOf(d),
    legacySsh: d.legacySsh,
    ...extras,
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
  };
}

/** Only fingerprints leave: the key blobs stay in the database (they are public, but nobody needs them here). */
function hostKeysOf(d: DeviceRow): Pick<DeviceDto, 'hostKeys' | 'offeredHostKey'> {
  return {
    hostKeys: d.hostKeys.map((k) => {
      const source = HostKeySource.safeParse(k.source);
      return {
        algorithm: k.algorithm,
        fingerprint: k.fingerprint,
        pinnedAt: iso(k.pinnedAt),
        source: source.success ? source.data : 'tofu',
      };
    }),
    offeredHostKey:
      d.offeredHostKeyAlgorithm && d.offeredHostKeyFingerprint && d.offeredHostKeyAt
        ? {
            algorithm: d.offeredHostKeyAlgorithm,
            fingerprint: d.offeredHostKeyFingerprint,
            seenAt: iso(d.offeredHostKeyAt),
          }
        : null,
  };
}

export function toCredential(
  c: Credential & { _count: { devices: number }; devices: { id: string; hostname: string }[] },
): CredentialDto {
  return {
    id: c.id,
    name: c.name,
    username: c.username,
    description: c.description,
    hasSecret: c.secretEnc.length > 0,
    hasEnableSecret: c.enableSecretEnc !== null,
    deviceCount: c._count.devices,
    usedBy: c.devices.map((d) => ({ id: d.id, hostname: d.hostname })),
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    secretRotatedAt: isoOrNull(c.secretRotatedAt),
  };
}

export function toCompat(c: CompatibilityEntry): CompatDto {
  return {
    id: c.id,
    vendor: c.vendor,
    platformFamily: c.platformFamily,
    fromVersion: c.fromVersion,
    toVersion: c.toVersion,
    level: c.level,
    source: c.source,
    notes: c.notes,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

export function toAuditEvent(e: AuditEvent): AuditEventDto {
  return {
    id: e.id.toString(),
    at: iso(e.at),
    actorId: e.actorId,
    actorName: e.actorName,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    details: e.details,
    ip: e.ip,
    requestId: e.requestId,
    hash: e.hash,
  };
}
