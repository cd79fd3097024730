import { z } from 'zod';
import { Id, IsoDate, optionalText, patchOf, text } from './common.ts';

/** A device that logs in with a credential: enough to name it and link to it. */
export const CredentialDevice = z.object({ id: Id, hostname: z.string() });
export type CredentialDevice = z.infer<typeof CredentialDevice>;

/** How many devices a credential names in `usedBy`; `deviceCount` counts them all. */
export const CREDENTIAL_USED_BY_SHOWN = 10;

/** What the API says about a credential: never the secret, only whether one is set. */
export const Credential = z.object({
  id: Id,
  name: z.string(),
  username: z.string(),
  description: z.string().nullable(),
  hasSecret: z.boolean(),
  hasEnableSecret: z.boolean(),
  deviceCount: z.number().int(),
  /** The first devices using it by hostname (at most CREDENTIAL_USED_BY_SHOWN); GET /credentials/:id/devices lists all. */
  usedBy: z.array(CredentialDevice),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  /** When the secret was last replaced (rotate, or a PATCH with a secret); null: never since it was created. */
  secretRotatedAt: IsoDate.nullable(),
});
export type Credential = z.infer<typeof Credential>;

const Secret = z.string().min(1, { error: 'must not be empty' }).max(1024);

export const CredentialCreate = z.object({
  name: text(64),
  username: text(64),
  secret: Secret,
  enableSecret: Secret.optional(),
  description: optionalText(500).optional(),
});
export type CredentialCreate = z.infer<typeof CredentialCreate>;

export const CredentialUpdate = patchOf({
  name: text(64),
  username: text(64),
  secret: Secret,
  /** null removes the enable secret. */
  enableSecret: Secret.nullable(),
  description: optionalText(500),
});
export type CredentialUpdate = z.infer<typeof CredentialUpdate>;

/** A new secret (and optionally a new enable secret) for a credential; the old ones are gone. */
export const CredentialRotate = z.object({
  secret: Secret,
  /** Replaces the enable secret too; left out, the enable secret stays as it is. */
  enableSecret: Secret.optional(),
});
export type CredentialRotate = z.infer<typeof CredentialRotate>;
