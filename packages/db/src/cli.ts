// Database chores for developers and deployments:
//   migrate [--rekey]       apply prisma/migrations as the owner role: DATABASE_OWNER_URL, else
//                           DATABASE_URL (what containers run at start); with --rekey, when this
//                           run applied the roles migration, re-key the audit rows from before
//                           keyed hashes (one-time; a refusal is printed, not fatal: verify
//                           reports the problem). Needs HITLESS_SECRET_KEY and the api's
//                           HITLESS_AUDIT_CHECKPOINT_FILE.
//   rekey                   the same re-key on its own (DATABASE_OWNER_URL, HITLESS_SECRET_KEY,
//                           HITLESS_AUDIT_CHECKPOINT_FILE): refuses a chain that was ever keyed;
//                           see ../README.md
//   new <name> [--from REF] write a new migration: schema.prisma at git REF (default HEAD) → working copy
// See ../README.md for the rules.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, loadOwnerDatabaseEnv, repoRoot } from '@hitless/config';
import { startEmbeddedPostgres } from '@hitless/runtime';
import { AuditRekeyRefused, deriveAuditKey, rekeyAfterMigrations, rekeyAuditChain, type RekeyResult } from './audit.ts';
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

function rekeyTools(env: ReturnType<typeof loadOwnerDatabaseEnv>) {
  if (!env.secretKey) throw new ConfigError('set HITLESS_SECRET_KEY: the audit key is derived from it');
  if (!env.checkpointFile) {
    throw new ConfigError(
      "set HITLESS_AUDIT_CHECKPOINT_FILE to the api's checkpoint file: the re-key checks it and checkpoints the re-keyed head",
    );
  }
  return {
    auditKey: deriveAuditKey(env.secretKey),
    file: new AuditCheckpointFile(env.checkpointFile, deriveCheckpointKey(env.secretKey)),
  };
}

function reportRekey(r: RekeyResult) {
  process.stdout.write(
    `re-keyed ${r.rekeyed} audit row(s)${r.checkpoint ? `, checkpoint #${r.checkpoint.seq}` : ''}\n`,
  );
  if (r.warning) process.stderr.write(`${r.warning}\n`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'migrate': {
      const env = loadOwnerDatabaseEnv();
      const rekey = rest.includes('--rekey') ? rekeyTools(env) : null;
      const result = await applyMigrations(env.ownerUrl);
      process.stdout.write(`applied ${result.applied.length} migration(s), ${result.alreadyApplied} already applied\n`);
      if (!rekey) return;
      const db = createPrisma(env.ownerUrl, { auditKey: rekey.auditKey, max: 1 });
      try {
        const done = await rekeyAfterMigrations(db, result.applied, { checkpointFile: rekey.file });
        if (done) reportRekey(done);
      } catch (err) {
        // The start goes on: verify reports what is wrong with the chain.
        if (!(err instanceof AuditRekeyRefused)) throw err;
        process.stderr.write(`audit trail NOT re-keyed: ${err.message}\n`);
      } finally {
        await db.$disconnect();
      }
      return;
    }
    case 'rekey': {
      const env = loadOwnerDatabaseEnv();
      const { auditKey, file } = rekeyTools(env);
      const db = createPrisma(env.ownerUrl, { auditKey, max: 1 });
      try {
        reportRekey(await rekeyAuditChain(db, { checkpointFile: file }));
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
      throw new Error('usage: cli.ts migrate [--rekey] | rekey | new <name> [--from <git-ref>]');
  }
}

if (import.meta.filename === process.argv[1]) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
