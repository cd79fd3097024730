// Who may do what. Viewers read; operators run inventory, images and upgrades; approvers
// (change managers) approve campaigns; admins manage users and credentials and may do
// everything an operator does. Approving is deliberately not an operator's right.
import type { Role } from '@hitless/contracts';

export const PERMISSIONS = [
  'read',
  'inventory:write',
  'images:write',
  'runs:operate',
  'campaigns:write',
  'campaigns:approve',
  'credentials:write',
  'users:manage',
  'audit:verify',
  /** Accept a device's changed SSH host key, forget a pinned one, import known_hosts: decides who gets the secrets. */
  'host-keys:trust',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  VIEWER: ['read'],
  OPERATOR: ['read', 'inventory:write', 'images:write', 'runs:operate', 'campaigns:write'],
  APPROVER: ['read', 'campaigns:approve', 'audit:verify'],
  ADMIN: [
    'read',
    'inventory:write',
    'images:write',
    'runs:operate',
    'campaigns:write',
    'campaigns:approve',
    'credentials:write',
    'users:manage',
    'audit:verify',
    'host-keys:trust',
  ],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** The roles that hold a permission, for error messages ("requires OPERATOR or ADMIN"). */
export function rolesWith(permission: Permission): Role[] {
  return (Object.keys(GRANTS) as Role[]).filter((r) => can(r, permission));
}
