// SSH host keys of devices as the API shows them (fingerprints, never the secrets of a device), the
// admin's acceptance of a changed key, and the known_hosts import.
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

/** Accepting names the fingerprint the admin was shown, so exactly that key is pinned. */
export const HostKeyAccept = z.object({ fingerprint: HostKeyFingerprint });
export type HostKeyAccept = z.infer<typeof HostKeyAccept>;

export const HostKeyImportQuery = z.object({
  /** Replace a different key already pinned (otherwise such a line is reported as a conflict). */
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

export const HostKeyImportStatus = z.enum(['pinned', 'replaced', 'unchanged', 'conflict', 'unknown_host', 'skipped']);
export type HostKeyImportStatus = z.infer<typeof HostKeyImportStatus>;

/** One line of the file and what it did to one device (a line naming two devices gives two). */
export const HostKeyImportLine = z.object({
  line: z.number().int(),
  status: HostKeyImportStatus,
  /** The hosts field as written (hashed names stay hashed). */
  hosts: z.string(),
  algorithm: z.string(),
  fingerprint: z.string(),
  deviceId: Id.nullable(),
  hostname: z.string().nullable(),
  /** The key pinned before: the one kept (conflict) or the one replaced. */
  previousFingerprint: z.string().nullable(),
  reason: z.string().nullable(),
});
export type HostKeyImportLine = z.infer<typeof HostKeyImportLine>;

export const HostKeyImportResult = z.object({
  dryRun: z.boolean(),
  replace: z.boolean(),
  counts: z.record(HostKeyImportStatus, z.number().int()),
  lines: z.array(HostKeyImportLine),
});
export type HostKeyImportResult = z.infer<typeof HostKeyImportResult>;
