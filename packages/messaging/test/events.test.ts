// The live-event streams on a real Redis: one reader gets run events and syslog events alike,
// from the moment it starts; a syslog flood stays in its own short stream and pushes no run
// event out of the main stream's replay window.
import { randomUUID } from 'node:crypto';
import type { SyslogMessage } from '@hitless/contracts';
import { redisUrl, uniquePrefix } from '@hitless/testkit';
import { eventually } from '@hitless/testkit/poll';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createRedis,
  eventStreamKey,
  EventPublisher,
  EventSubscriber,
  syslogStreamKey,
  type Envelope,
} from '../src/index.ts';

const redis = createRedis(redisUrl());
afterAll(async () => redis.quit());

const quiet = { warn: () => undefined };
const message = (i: number): SyslogMessage => ({
  id: String(i),
  receivedAt: new Date().toISOString(),
  deviceId: null,
  device: null,
  runId: null,
  sourceAddress: '127.0.0.1',
  transport: 'UDP',
  format: 'RFC3164',
  facility: 23,
  severity: 5,
  timestamp: null,
  clock: null,
  hostname: null,
  appName: null,
  procId: null,
  msgId: null,
  sequence: i,
  event: null,
  structuredData: null,
  message: `flood ${i}`,
  raw: `flood ${i}`,
  parseError: null,
});

describe('live event streams', () => {
  it('reads both streams from now on, and keeps a syslog flood out of the run events', async () => {
    const prefix = uniquePrefix('events');
    const publisher = new EventPublisher(redis, prefix);
    const campaignId = randomUUID();
    // Before the reader starts: not delivered.
    await publisher.publish('campaign.updated', ['campaigns'], { campaignId, status: 'RUNNING' });
    const seen: Envelope[] = [];
    const subscriber = new EventSubscriber(createRedis(redisUrl()), prefix, quiet);
    subscriber.start((e) => seen.push(e));
    try {
      // The syslog stream is quiet while run events flow, then a syslog event: none is missed.
      await eventually(async () => {
        await publisher.publish('campaign.updated', ['campaigns'], { campaignId, status: 'RUNNING' });
        return seen.length > 0;
      });
      await publisher.publish('syslog.message', ['syslog'], { messages: [message(0)], omitted: 0 });
      await eventually(() => seen.some((e) => e.type === 'syslog.message'), { what: 'the syslog event' });

      for (let i = 0; i < 3000; i++)
        await publisher.publish('syslog.message', ['syslog'], { messages: [message(i)], omitted: 0 });
      expect(await redis.xlen(syslogStreamKey(prefix))).toBeLessThan(1200);
      // The run events' stream holds only run events: its replay window is untouched by the flood.
      const main = await redis.xrange(eventStreamKey(prefix), '-', '+');
      expect(main.every(([, f]) => !String(f[1]).includes('syslog.message'))).toBe(true);
      await eventually(() => seen.filter((e) => e.type === 'syslog.message').length === 3001, {
        timeoutMs: 15_000,
        what: 'every syslog event read',
      });
    } finally {
      await subscriber.stop();
    }
  });
});
