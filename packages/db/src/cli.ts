// Database chores for developers and deployments:
//   migrate                 apply prisma/migrations as the owner role: DATABASE_OWNER_URL, else
//                           DATABASE_URL (what containers run at start)
//   rekey                   once after upgrading: re-sign audit rows written before keyed hashes
//                           (DATABASE_OWNER_URL, HITLESS_SECRET_KEY and the api's
//                           HITLESS_AUDIT_CHECKPOINT_FILE; see ../README.md)
//   new <name> [--from REF] write a new migration: schema.prisma at git REF (default HEAD) → working copy
// See ../README.md for the rules.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, loadOwnerDatabaseEnv, repoRoot } from '@hitless/config';
import { startEmbeddedPostgres } from '@hitless/runtime';
import { deriveAuditKey, rekeyAuditChain } from './audit.ts';
import { AuditCheckpointFile, deriveCheckpointKey } from './audit-checkpoints.ts';
import { createPrisma } from './client.ts';
import { applyMigrations, migrationsDir } from './migrations.ts';
import { diffDatamodels, schemaPath } from './schema-diff.ts';

const exec = promisify(execFile);

async function newMigration(name: string, ref: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error('migration name: lower-case letters, digits and _ only');
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'hitless-migration-'));
  const pg = await startEmbeddedPostgres({ baseDir: tmp, durable: false });
  try {
    const oldSchema = path.join(tmp, 'old.prisma');
    const { stdout } = await exec('git', ['show', `${ref}:prisma/schema.prisma`], { cwd: repoRoot });
    await writeFile(oldSchema, stdout);
    const sql = await diffDatamodels(pg.urlFor('hitless'), oldSchema, schemaPath);
    if (!/^\s*(ALTER|CREATE|DROP|INSERT|UPDATE|DELETE|COMMENT)/im.test(sql)) {
      process.stdout.write(`schema.prisma matches ${ref}: no migration needed\n`);
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(migrationsDir, `${stamp}_${name}`);
    await mkdir(dir);
    await writeFile(path.join(dir, 'migration.sql'), sql);
    process.stdout.write(`wrote ${path.relative(repoRoot, dir)}/migration.sql — read it before committing\n`);
  } finally {
    await pg.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'migrate': {
      const result = await applyMigrations(loadOwnerDatabaseEnv().ownerUrl);
      process.stdout.write(`applied ${result.applied.length} migration(s), ${result.alreadyApplied} already applied\n`);
      return;
    }
    case 'rekey': {
      const { ownerUrl, secretKey, checkpointFile } = loadOwnerDatabaseEnv();
      if (!secretKey) throw new ConfigError('set HITLESS_SECRET_KEY: the audit key is derived from it');
      const db = createPrisma(ownerUrl, { auditKey: deriveAuditKey(secretKey), max: 1 });
      const file = checkpointFile && new AuditCheckpointFile(checkpointFile, deriveCheckpointKey(secretKey));
      try {
        const { rekeyed } = await rekeyAuditChain(db, file ? { checkpoints: await file.read() } : {});
        process.stdout.write(`re-keyed ${rekeyed} audit row(s)\n`);
      } finally {
        await db.$disconnect();
      }
      return;
    }
    case 'new': {
      const name = rest[0];
      if (!name) throw new Error('usage: new <name> [--from <git-ref>]');
      const fromIndex = rest.indexOf('--from');
      await newMigration(name, fromIndex >= 0 ? (rest[fromIndex + 1] ?? 'HEAD') : 'HEAD');
      return;
    }
    default:
      throw new Error('usage: cli.ts migrate | rekey | new <name> [--from <git-ref>]');
  }
}

if (import.meta.filename === process.argv[1]) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
