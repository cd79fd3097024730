import { describe, expect, it } from 'vitest';
import { can, PERMISSIONS, rolesWith } from './rbac.ts';

describe('rbac', () => {
  it('lets every role read', () => {
    for (const role of ['VIEWER', 'OPERATOR', 'APPROVER', 'ADMIN'] as const) expect(can(role, 'read')).toBe(true);
  });

  it('keeps viewers read-only', () => {
    expect(PERMISSIONS.filter((p) => can('VIEWER', p))).toEqual(['read']);
  });

  it('lets operators edit inventory but not credentials or users', () => {
    expect(can('OPERATOR', 'inventory:write')).toBe(true);
    expect(can('OPERATOR', 'credentials:write')).toBe(false);
    expect(can('OPERATOR', 'users:manage')).toBe(false);
  });

  it('separates approving from operating', () => {
    expect(can('OPERATOR', 'campaigns:approve')).toBe(false);
    expect(can('APPROVER', 'campaigns:approve')).toBe(true);
    expect(can('APPROVER', 'inventory:write')).toBe(false);
  });

  it('gives admins every permission', () => {
    expect(PERMISSIONS.every((p) => can('ADMIN', p))).toBe(true);
    expect(rolesWith('credentials:write')).toEqual(['ADMIN']);
    expect(rolesWith('host-keys:trust')).toEqual(['ADMIN']);
    expect(rolesWith('inventory:write')).toEqual(['OPERATOR', 'ADMIN']);
  });
});
