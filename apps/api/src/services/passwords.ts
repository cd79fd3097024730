// Passwords people choose (an admin's one-time password, a user's own) must not be on the list of
// the most common ones (@hitless/crypto's isCommonPassword): they are the first an attacker tries.
import { DomainError } from '@hitless/core';
import { isCommonPassword } from '@hitless/crypto';

const COMMON = 'is one of the most common passwords; choose another (a few unrelated words make a good one)';

/** Throws a 400 naming `path` (e.g. `body.password`) when the password is a common one. */
export async function assertUncommonPassword(password: string, path: string): Promise<void> {
  if (await isCommonPassword(password))
    throw new DomainError('VALIDATION_FAILED', `${path}: ${COMMON}`, [{ path, message: COMMON }]);
}
