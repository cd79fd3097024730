// SSH host keys of devices as the API shows them (fingerprints, never the secrets of a device): a
// set per device (one per routing engine of a box whose management address follows the master),
// the admin's acceptance of an offered key (added to the set, or replacing it), and the known_hosts import.
import { z } from 'zod';
import { Id, IsoDate } from './common.ts';

/** OpenSSH's SHA256 fingerprint, as `ssh-keygen -lf` and OpenSSH's warnings print it. */
export const HostKeyFingerprint = z
  .string()
  .trim()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, { error: 'must be an OpenSSH fingerprint, SHA256: and 43 base64 characters' });

export const HostKeySource = z.enum(['tofu', 'import', 'accepted']);
export type HostKeySource = z.infer<typeof HostKeySource>;

export const HOST_KEY_SOURCE_LABELS: Record<HostKeySource, string> = {
  tofu: 'trusted on first connection',
  import: 'imported from known_hosts',
  accepted: 'accepted by an admin',
};

export const PinnedHostKey = z.object({
  algorithm: z.string(),
  fingerprint: z.string(),
  pinnedAt: IsoDate,
  source: HostKeySource,
});
export type PinnedHostKey = z.infer<typeof PinnedHostKey>;

export const OfferedHostKey = z.object({
  algorithm: z.string(),
  fingerprint: z.string(),
  seenAt: IsoDate,
});
export type OfferedHostKey = z.infer<typeof OfferedHostKey>;

/**
 * Accepting names the fingerprint the admin was shown, so exactly that key is pinned. By default it
 * is added to the pinned set (another routing engine's key); `replace` makes it the only one (the
 * device, or a routing engine, was replaced or re-keyed).
 */
export const HostKeyAccept = z.object({ fingerprint: HostKeyFingerprint, replace: z.boolean().default(false) });
export type HostKeyAccept = z.infer<typeof HostKeyAccept>;

export const HostKeyImportQuery = z.object({
  /**
   * The device's set becomes exactly the file's keys (pinned keys the file does not list are removed);
   * otherwise the file's keys are added and the others kept.
   */
  replace: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
export type HostKeyImportQuery = z.infer<typeof HostKeyImportQuery>;

/**
 * Per key: `pinned` (added to the device's set), `unchanged` (already pinned), `skipped` (a marker, a
 * pattern, the same key twice), `unknown_host`; and per pinned key the file does not list (a
 * conflict): `kept` (without replace) or `removed` (with replace).
 */
export const HostKeyImportStatus = z.enum(['pinned', 'unchanged', 'kept', 'removed', 'unknown_host', 'skipped']);
export type HostKeyImportStatus = z.infer<typeof HostKeyImportStatus>;

/** One key of the file and what it did to one device (a line naming two devices gives two), or a pinned key it does not list. */
export const HostKeyImportLine = z.object({
  /** Null for a pinned key the file does not list (kept or removed). */
  line: z.number().int().nullable(),
  status: HostKeyImportStatus,
  /** The hosts field as written (hashed names stay hashed). */
  hosts: z.string(),
  algorithm: z.string(),
  fingerprint: z.string(),
  deviceId: Id.nullable(),
  hostname: z.string().nullable(),
  reason: z.string().nullable(),
});
export type HostKeyImportLine = z.infer<typeof HostKeyImportLine>;

export const HostKeyImportResult = z.object({
  dryRun: z.boolean(),
  replace: z.boolean(),
  counts: z.record(HostKeyImportStatus, z.number().int()),
  /** Devices that have pinned keys the file does not list (kept without replace, removed with it). */
  conflicts: z.number().int(),
  lines: z.array(HostKeyImportLine),
});
export type HostKeyImportResult = z.infer<typeof HostKeyImportResult>;

/** Forgetting one pinned key: the device and the key's fingerprint (URL-encoded in the path). */
export const HostKeyForgetParams = z.object({ id: Id, fingerprint: HostKeyFingerprint });
export type HostKeyForgetParams = z.infer<typeof HostKeyForgetParams>;
