import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateSecretKey } from '@hitless/crypto';

/**
 * The key that seals device secrets. Given explicitly (HITLESS_SECRET_KEY) in real deployments;
 * for the embedded set-up it is generated once into the data directory and reused after.
 * Losing it makes every stored device secret unreadable.
 */
export async function loadOrCreateSecretKey(
  dataDir: string,
  given: string | undefined,
): Promise<{ key: string; created: boolean; file?: string }> {
  if (given) return { key: given, created: false };
  const file = path.join(dataDir, 'secret.key');
  try {
    return { key: (await readFile(file, 'utf8')).trim(), created: false, file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = generateSecretKey().toString('base64');
  // 'wx' fails if another launcher created it in the meantime rather than overwriting its key.
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return { key, created: true, file };
}
