// `prisma migrate diff` between datamodels. With the JS schema engine (the only one that runs
// offline here) the CLI needs a reachable database even for a pure diff.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { inheritedEnv, repoRoot } from '@hitless/config';

const exec = promisify(execFile);
export const schemaPath = path.join(repoRoot, 'prisma/schema.prisma');
const packageDir = path.resolve(import.meta.dirname, '..');

/** SQL that turns `from` (a schema file, or nothing) into `to`. */
export async function diffDatamodels(databaseUrl: string, from: string | 'empty', to: string): Promise<string> {
  const fromArgs = from === 'empty' ? ['--from-empty'] : ['--from-schema-datamodel', from];
  const { stdout } = await exec(
    'npx',
    ['--no-install', 'prisma', 'migrate', 'diff', ...fromArgs, '--to-schema-datamodel', to, '--script'],
    { cwd: packageDir, env: inheritedEnv({ DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: '1' }), maxBuffer: 64 << 20 },
  );
  return stdout;
}
