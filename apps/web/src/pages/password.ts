import { NewPassword } from '@hitless/contracts';

/** The shortest password the API takes, read from its own schema (NewPassword in packages/contracts). */
export const PASSWORD_MIN = NewPassword.minLength ?? 1;
export const PASSWORD_HINT = `At least ${PASSWORD_MIN} characters; a passphrase is best.`;
