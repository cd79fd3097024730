import { z } from 'zod';
import { Id, IsoDate, optionalText, patchOf, text } from './common.ts';

/** What the API says about a credential: never the secret, only whether one is set. */
export const Credential = z.object({
  id: Id,
  name: z.string(),
  username: z.string(),
  description: z.string().nullable(),
  hasSecret: z.boolean(),
  hasEnableSecret: z.boolean(),
  deviceCount: z.number().int(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
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
