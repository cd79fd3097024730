import { z } from 'zod';
import { Id, isIpAddress, IsoDate, optionalText, Pagination, page, patchOf, text } from './common.ts';
import { OfferedHostKey, PinnedHostKey } from './host-keys.ts';
import { RunStatus } from './runs.ts';

export const Vendor = z.enum(['CISCO_IOS', 'CISCO_IOSXE', 'JUNOS']);
export type Vendor = z.infer<typeof Vendor>;

export const VENDOR_LABELS: Record<Vendor, string> = {
  CISCO_IOS: 'Cisco IOS',
  CISCO_IOSXE: 'Cisco IOS-XE',
  JUNOS: 'Juniper Junos',
};

const HOSTNAME_RE =
  /^(?=.{1,253}$)[a-zA-Z0-9](?:[a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?)*$/;

export const Hostname = z
  .string()
  .trim()
  .min(1, { error: 'is required' })
  .max(253)
  .regex(HOSTNAME_RE, { error: 'must be a valid host name (letters, digits, - _ and dots)' });

/** An IPv4/IPv6 address or a DNS name the workers can resolve. */
export const MgmtAddress = z
  .string()
  .trim()
  .min(1, { error: 'is required' })
  .max(253)
  // A name made only of digits and dots is a mistyped IPv4 address, not a DNS name.
  .refine((v) => isIpAddress(v) || (HOSTNAME_RE.test(v) && !/^[\d.]+$/.test(v)), {
    error: 'must be an IPv4/IPv6 address or a DNS name',
  });

export const Tag = z
  .string()
  .trim()
  .min(1)
  .max(48)
  .regex(/^[a-zA-Z0-9._:/-]+$/, { error: 'tags may contain letters, digits and . _ : / - only' });

export const Tags = z
  .array(Tag)
  .max(32, { error: 'at most 32 tags' })
  .transform((tags) => [...new Set(tags)]);

/** A JSON number. Text (a form field, a CSV cell) goes through portFromText first. */
export const Port = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be between 1 and 65535' })
  .max(65535, { error: 'must be between 1 and 65535' });

/** A port typed as text: digits become a number, anything else stays text for Port to refuse. */
export const portFromText = (text: string): number | string => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text);

/** The device's newest run (by creation), for the inventory's "last run" column. */
export const DeviceLastRun = z.object({
  id: Id,
  status: RunStatus,
  targetVersion: z.string(),
  startedAt: IsoDate.nullable(),
  finishedAt: IsoDate.nullable(),
});
export type DeviceLastRun = z.infer<typeof DeviceLastRun>;

export const ComplianceStatus = z.enum(['compliant', 'behind', 'ahead', 'no-golden', 'unknown']);
export type ComplianceStatus = z.infer<typeof ComplianceStatus>;

/** The device's current release against the golden image of its platform family. */
export const DeviceCompliance = z.object({ status: ComplianceStatus, goldenVersion: z.string().nullable() });
export type DeviceCompliance = z.infer<typeof DeviceCompliance>;

export const Device = z.object({
  id: Id,
  hostname: z.string(),
  mgmtAddress: z.string(),
  port: z.number().int(),
  vendor: Vendor,
  platform: z.string(),
  site: z.string().nullable(),
  tags: z.array(z.string()),
  redundancyGroup: z.string().nullable(),
  credentialId: Id.nullable(),
  credentialName: z.string().nullable(),
  facts: z.record(z.string(), z.unknown()).nullable(),
  factsUpdatedAt: IsoDate.nullable(),
  currentVersion: z.string().nullable(),
  notes: z.string().nullable(),
  /**
   * The SSH host keys pinned for the device, oldest first: any of them is accepted (a dual-RE / dual-RP box whose
   * management address follows the master has one per routing engine). Empty until the first connection (or an
   * import) pins one.
   */
  hostKeys: z.array(PinnedHostKey),
  /** A key the device presented that is not pinned: every connection is refused until an admin accepts it. */
  offeredHostKey: OfferedHostKey.nullable(),
  /** The device needs the legacy SSH algorithms (SHA-1 key exchange, CBC/3DES, ssh-dss, HMAC-MD5). */
  legacySsh: z.boolean(),
  /** The platform family the device belongs to (images, golden release and procedures are per family). */
  platformFamily: z.string(),
  lastRun: DeviceLastRun.nullable(),
  /** The ISSU state read by the last discovery (Cisco: Init, Load Version…), or null. */
  issuState: z.string().nullable(),
  compliance: DeviceCompliance,
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type Device = z.infer<typeof Device>;

const deviceFields = {
  hostname: Hostname,
  mgmtAddress: MgmtAddress,
  port: Port,
  vendor: Vendor,
  platform: text(64),
  site: optionalText(64),
  tags: Tags,
  redundancyGroup: optionalText(64),
  credentialId: Id.nullable(),
  currentVersion: optionalText(128),
  notes: optionalText(2000),
  legacySsh: z.boolean({ error: 'must be true or false' }),
};

export const DeviceCreate = z.object({
  ...deviceFields,
  port: deviceFields.port.default(22),
  site: deviceFields.site.optional(),
  tags: deviceFields.tags.default([]),
  redundancyGroup: deviceFields.redundancyGroup.optional(),
  credentialId: deviceFields.credentialId.optional(),
  currentVersion: deviceFields.currentVersion.optional(),
  notes: deviceFields.notes.optional(),
  legacySsh: deviceFields.legacySsh.optional(),
});
export type DeviceCreate = z.infer<typeof DeviceCreate>;

export const DeviceUpdate = patchOf(deviceFields);
export type DeviceUpdate = z.infer<typeof DeviceUpdate>;

export const DeviceSort = z.enum([
  'hostname',
  '-hostname',
  'site',
  '-site',
  'platform',
  '-platform',
  'updatedAt',
  '-updatedAt',
]);

/** Filters shared by the list and the CSV export. `tag` may repeat (all must match). */
export const DeviceFilter = z.object({
  vendor: Vendor.optional(),
  platform: z.string().trim().max(64).optional(),
  site: z.string().trim().max(64).optional(),
  tag: z
    .union([Tag, z.array(Tag)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
  q: z.string().trim().max(128).optional(),
});
export type DeviceFilter = z.infer<typeof DeviceFilter>;

export const DeviceListQuery = DeviceFilter.extend({
  ...Pagination.shape,
  sort: DeviceSort.default('hostname'),
});
export type DeviceListQuery = z.infer<typeof DeviceListQuery>;

export const DevicePage = page(Device);
export type DevicePage = z.infer<typeof DevicePage>;

export const DeviceFacets = z.object({
  vendors: z.array(Vendor),
  platforms: z.array(z.string()),
  sites: z.array(z.string()),
  tags: z.array(z.string()),
});
export type DeviceFacets = z.infer<typeof DeviceFacets>;

/** CSV columns, in order; export writes them and import reads them (header names, any order). */
export const DEVICE_CSV_COLUMNS = [
  'hostname',
  'mgmt_address',
  'port',
  'vendor',
  'platform',
  'site',
  'tags',
  'redundancy_group',
  'credential',
  'current_version',
  'notes',
] as const;
export const DEVICE_CSV_REQUIRED = ['hostname', 'mgmt_address', 'vendor', 'platform'] as const;
/** Tags are separated by spaces or semicolons inside their CSV cell. */
export const CSV_TAG_SEPARATOR = ' ';

export const DeviceImportQuery = z.object({
  /** `upsert` updates devices whose hostname exists; `create` treats an existing hostname as an error. */
  mode: z.enum(['upsert', 'create']).default('upsert'),
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export const ImportRowError = z.object({ line: z.number().int(), field: z.string().nullable(), message: z.string() });
export type ImportRowError = z.infer<typeof ImportRowError>;

export const DeviceImportResult = z.object({
  dryRun: z.boolean(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  hostnames: z.array(z.string()),
});
export type DeviceImportResult = z.infer<typeof DeviceImportResult>;

/** A rejected import: nothing was written; every bad row is listed. */
export const DeviceImportRejected = z.object({
  statusCode: z.number().int(),
  code: z.literal('VALIDATION_FAILED'),
  message: z.string(),
  errors: z.array(ImportRowError),
});
