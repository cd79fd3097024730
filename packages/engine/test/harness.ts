// An engine test bed: a lab of simulated devices on their own addresses, a fresh database with
// those devices, the lab's images and matrix registered, and a user to own the runs.
import { generateSecretKey, hashPassword } from '@hitless/crypto';
import type { EngineConfig } from '@hitless/config';
import type { Db } from '@hitless/db';
import { LabClient, registerLabFleet, type Lab, type LabDeviceInfo, type LabOptions } from '@hitless/lab';
import { labOf } from '@hitless/lab/testing';
import { createRedis, EventPublisher, type Redis } from '@hitless/messaging';
import type { FaultName, PlatformFamily } from '@hitless/sim';
import { createTestDatabase, redisUrl, uniquePrefix, type TestDatabase } from '@hitless/testkit';
import { insertQueuedRun, type QueuedRun } from '@hitless/testkit/runs';
import { eventually } from '@hitless/testkit/poll';
import { pino } from 'pino';
import { runUpgrade } from '../src/runner.ts';

/** Time scale 600: a 6-minute reload takes 0.6 s, the default 45-minute rollback timer 4.5 s. */
export const TIME_SCALE = 600;

export const ENGINE: EngineConfig = {
  pollMs: 100,
  leaseStaleMs: 10_000,
  reloadTimeoutMs: 8000,
  issuTimeoutMs: 60_000,
  reconnectTimeoutMs: 20_000,
  commandTimeoutMs: 20_000,
  settleMs: 1000,
  strictHostKeys: false,
};

export interface Bed {
  lab: Lab;
  api: LabClient;
  database: TestDatabase;
  db: Db;
  key: Buffer;
  redis: Redis;
  prefix: string;
  userId: string;
  devices: LabDeviceInfo[];
  /** Creates a run for a lab device to the named image version. */
  createRun(
    hostname: string,
    version: string,
    options?: Omit<QueuedRun, 'hostname' | 'version' | 'userId'>,
  ): Promise<string>;
  /**
   * Drives a run in this process until it ends (engine settings overridable). `afterStep` runs
   * when a step succeeds, before the run goes on: a test changes the device at an exact moment.
   */
  drive(
    runId: string,
    engine?: Partial<EngineConfig>,
    afterStep?: (name: string) => void | Promise<void>,
  ): Promise<void>;
  /** Waits until the run has this status. */
  status(runId: string, status: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startBed(
  families: PlatformFamily[],
  faults: Record<string, FaultName[]> = {},
  timeScale = TIME_SCALE,
  labOptions: Partial<LabOptions> = {},
): Promise<Bed> {
  const lab = await labOf(families, { timeScale, faults, ...labOptions });
  const key = generateSecretKey();
  // The same key seals device secrets and keys the database's audit rows, as in production.
  const database = await createTestDatabase({ secretKey: key });
  const db = database.db;
  const devices = lab.info();
  await registerLabFleet(db, key, devices);
  const user = await db.user.create({
    data: { username: 'operator', role: 'OPERATOR', passwordHash: await hashPassword('operator password') },
  });
  const redis = createRedis(redisUrl());
  const prefix = uniquePrefix('engine');
  const events = new EventPublisher(redis, prefix);
  const log = pino({ level: 'warn' });
  // One worker's memory of why its drives stopped, as apps/worker keeps it.
  const stops = new Map<string, string>();
  return {
    lab,
    api: new LabClient(lab.apiUrl!, lab.apiToken),
    database,
    db,
    key,
    redis,
    prefix,
    userId: user.id,
    devices,
    createRun: (hostname, version, options = {}) =>
      insertQueuedRun(db, { hostname, version, userId: user.id, ...options }),
    drive: (runId, engine = {}, afterStep) =>
      runUpgrade(
        {
          db,
          events,
          key,
          engine: { ...ENGINE, ...engine },
          log,
          workerId: 'test-worker',
          stops,
          ...(afterStep && { onStepSucceeded: afterStep }),
        },
        runId,
      ),
    status: async (runId, status, timeoutMs = 20_000) => {
      await eventually(async () => (await db.deviceRun.findUniqueOrThrow({ where: { id: runId } })).status === status, {
        timeoutMs,
        what: `run ${status}`,
      });
    },
    close: async () => {
      await lab.stop();
      await redis.quit();
      await database.drop();
    },
  };
}

/** The commands that change a device, as the lab counts them: the proof nothing was sent twice. */
export const CISCO_DISRUPTIVE =
  /^(issu (loadversion|runversion|acceptversion|commitversion|abortversion)|redundancy (force-switchover|reload peer))/;
export const JUNOS_DISRUPTIVE =
  /^request (system software (in-service-upgrade|rollback)|system reboot|chassis routing-engine master switch)/;

/** The steps of an upgrade that goes to plan, in order (the Junos one reconnects twice). */
export const HAPPY_PATH = {
  CISCO_ISSU: [
    'pre-checks',
    'loadversion',
    'standby hot',
    'runversion',
    'reconnect',
    'post-checks',
    'acceptversion',
    'commitversion',
    'standby hot on the new image',
    'verify',
  ],
  JUNOS_ISSU: [
    'pre-checks',
    'in-service upgrade',
    'reconnect',
    'post-checks',
    'reboot old master',
    'backup RE up',
    'restore mastership',
    'reconnect',
    'verify',
  ],
} as const;

export async function stepNames(db: Db, runId: string): Promise<string[]> {
  return (await db.runStep.findMany({ where: { runId }, orderBy: { seq: 'asc' } })).map((s) => s.name);
}

/** How many times each line was received by a lab device: the proof nothing was sent twice. */
export async function counts(bed: Bed, hostname: string, pattern: RegExp): Promise<Record<string, number>> {
  const { counts: all } = await bed.api.commands(hostname);
  return Object.fromEntries(Object.entries(all).filter(([line]) => pattern.test(line)));
}
