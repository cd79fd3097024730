// A PostgreSQL outage under a running run: the drive stops (nothing is decided without the
// database), the same worker takes the run up again once PostgreSQL is back, and the steps it
// closes say what really happened — not that a worker stopped.
import pg from 'pg';
import { adminDatabaseUrl } from '@hitless/testkit';
import { eventually } from '@hitless/testkit/poll';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBed, type Bed } from './harness.ts';

let bed: Bed;
beforeAll(async () => {
  bed = await startBed(['mx']);
});
afterAll(async () => bed?.close());

/** Makes this test's database refuse every connection (the server stays up for other files), and cuts the open ones. */
async function databaseOutage(on: boolean) {
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  try {
    const name = admin.escapeIdentifier(bed.database.name);
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS ${on ? 'false' : 'true'}`);
    if (on)
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [bed.database.name],
      );
  } finally {
    await admin.end();
  }
}

describe('a PostgreSQL outage', () => {
  it('stops the drive; once back, the same worker resumes and names the outage on the steps it closes', async () => {
    const host = bed.devices[0]!.hostname;
    const id = await bed.createRun(host, '10.3R2.11', { acceptMode: 'MANUAL' });
    const first = bed.drive(id);
    await bed.status(id, 'WAITING_ACCEPT');
    await databaseOutage(true);
    await expect(first).rejects.toThrow();
    await databaseOutage(false);
    await eventually(() => bed.db.$queryRaw`SELECT 1`.then(() => true), { what: 'PostgreSQL back' });
    // What the worker's BullMQ retry does: drive the same run again, in the same process.
    const second = bed.drive(id);
    await eventually(
      async () => (await bed.db.runStep.count({ where: { runId: id, outcome: { startsWith: 'interrupted' } } })) > 0,
      {
        timeoutMs: 30_000,
        what: 'the interrupted step closed',
      },
    );
    const interrupted = await bed.db.runStep.findFirstOrThrow({
      where: { runId: id, outcome: { startsWith: 'interrupted' } },
    });
    expect(interrupted.name).toBe('operator accept');
    expect(interrupted.outcome).toMatch(
      /^interrupted: this worker's previous attempt stopped \(it lost its connection to PostgreSQL: .+\); resumed by the same worker$/,
    );
    expect(interrupted.outcome).not.toMatch(/worker driving this step stopped|stopped answering/);
    await bed.status(id, 'WAITING_ACCEPT', 30_000);
    await bed.db.deviceRun.update({ where: { id }, data: { acceptRequestedAt: new Date() } });
    await second;
    expect((await bed.db.deviceRun.findUniqueOrThrow({ where: { id } })).status).toBe('COMPLETED');
  }, 120_000);
});
