import { z } from 'zod';
import { Id, IsoDate, patchOf, text } from './common.ts';

export const Role = z.enum(['VIEWER', 'OPERATOR', 'APPROVER', 'ADMIN']);
export type Role = z.infer<typeof Role>;

export const Username = z
  .string()
  .trim()
  .min(2, { error: 'must be at least 2 characters' })
  .max(64)
  .regex(/^[a-zA-Z0-9._@-]+$/, { error: 'may contain letters, digits and . _ @ - only' });

export const NewPassword = z
  .string()
  .min(12, { error: 'must be at least 12 characters' })
  .max(256, { error: 'must be at most 256 characters' });

export const LoginBody = z.object({
  username: z.string().trim().min(1, { error: 'is required' }).max(64),
  password: z.string().min(1, { error: 'is required' }).max(256),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const User = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string().nullable(),
  role: Role,
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: IsoDate,
  lastLoginAt: IsoDate.nullable(),
});
export type User = z.infer<typeof User>;

export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1, { error: 'is required' }).max(256),
  newPassword: NewPassword,
});

export const UserCreate = z.object({
  username: Username,
  displayName: text(128).optional(),
  role: Role,
  password: NewPassword,
});
export type UserCreate = z.infer<typeof UserCreate>;

export const UserUpdate = patchOf({
  displayName: text(128).nullable(),
  role: Role,
  disabled: z.boolean(),
  password: NewPassword,
});
export type UserUpdate = z.infer<typeof UserUpdate>;

export const ApiToken = z.object({
  id: Id,
  name: z.string(),
  prefix: z.string(),
  createdAt: IsoDate,
  expiresAt: IsoDate.nullable(),
  lastUsedAt: IsoDate.nullable(),
  revokedAt: IsoDate.nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

export const ApiTokenCreate = z
  .object({
    name: text(64),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
    /** An exact expiry instead (the API also checks it is in the future and within 10 years). */
    expiresAt: IsoDate.optional(),
  })
  .refine((v) => v.expiresInDays === undefined || v.expiresAt === undefined, {
    error: 'give expiresAt or expiresInDays, not both',
  });

/** The only response that ever carries the token itself. */
export const ApiTokenCreated = ApiToken.extend({ token: z.string() });
