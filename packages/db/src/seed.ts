import { hashPassword } from '@hitless/crypto';
import { recordAudit } from './audit.ts';
import type { Db } from './client.ts';

export const INITIAL_ADMIN = 'admin';

/**
 * Creates the first admin when there are no users at all. Returns true when it did. With a
 * generated password the account must change it at first login (a one-time password).
 */
export async function ensureInitialAdmin(db: Db, password: string, options: { oneTime: boolean }): Promise<boolean> {
  if ((await db.user.count()) > 0) return false;
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    // Two launchers racing on one database: only one may create the admin.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(727002)`;
    if ((await tx.user.count()) > 0) return false;
    const user = await tx.user.create({
      data: {
        username: INITIAL_ADMIN,
        displayName: 'Administrator',
        role: 'ADMIN',
        passwordHash,
        mustChangePassword: options.oneTime,
      },
    });
    await recordAudit(
      tx,
      { id: null, name: 'system', ip: null },
      {
        action: 'user.created',
        targetType: 'user',
        targetId: user.id,
        details: { username: user.username, role: user.role, initial: true },
      },
    );
    return true;
  });
}
