// The plan preview's pre-checks: campaign-precheck jobs taken by a real worker process read each
// lab device over real SSH and store what upgrading it would do. The lab's command log proves that
// nothing but reads went to any device; device problems (no answer, a refused host key) are a
// prediction, not a failed job; a superseded or already answered request changes nothing.
import { createQueue, enqueue, EventPublisher } from '@hitless/messaging';
import { imagesOf } from '@hitless/sim';
import { uniquePrefix } from '@hitless/testkit';
import { eventually } from '@hitless/testkit/poll';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { runCampaignPrecheck } from '@hitless/engine';
import { ENGINE, startBed } from '../../../packages/engine/test/harness.ts';
import { CISCO_DISRUPTIVE, JUNOS_DISRUPTIVE, startWorker, stopWorker } from './workers.ts';

/** What a read-only pre-check may send: show commands, dir, verify (a checksum), the session's own terminal setup. */
const READ_ONLY =
  /^(show |dir |verify |file (list|checksum) |terminal |enable$|set cli screen-(length|width) |exit$|quit$)/;
const CHANGES =
  /^(conf|configure|copy|delete|install|reload|request|set (?!cli screen-(length|width) )|commit|edit|issu|redundancy|hw-module|clear|write|erase|format|squeeze|rollback)/;

describe('campaign pre-checks', () => {
  it('predicts each device from read-only checks over SSH, and device problems as UNREACHABLE', async () => {
    const bed = await startBed(['c10k', 'c10k', 'c10k', 'c10k', 'c10k', 'asr1000', 'mx', 'mx', 'cat4500'], {}, 120);
    const prefix = uniquePrefix('precheck');
    const queue = createQueue('campaign-precheck', bed.redis, prefix);
    const worker = startWorker(bed, prefix);
    try {
      const host = (family: string, nth: number) => bed.devices.filter((d) => d.family === family)[nth]!.hostname;
      const cases: Record<string, { impact: string; reason?: RegExp }> = {
        [host('c10k', 0)]: { impact: 'ISSU_C' },
        [host('c10k', 1)]: { impact: 'REFUSED', reason: /checksum|digest|md5/i },
        [host('c10k', 2)]: { impact: 'UNREACHABLE', reason: /could not be checked/ },
        [host('c10k', 3)]: { impact: 'UNREACHABLE', reason: /host key/i },
        [host('c10k', 4)]: { impact: 'FSU', reason: /disruptive/ },
        // Two releases ahead: base-level compatibility only.
        [host('asr1000', 0)]: { impact: 'ISSU_B' },
        [host('mx', 0)]: { impact: 'ISSU_C' },
        [host('mx', 1)]: { impact: 'REFUSED', reason: /space|\/var|package/i },
        [host('cat4500', 0)]: { impact: 'NO_TARGET', reason: /no target image/ },
      };
      await bed.api.setFaults(host('c10k', 1), ['image-corrupt']);
      await bed.api.setFaults(host('c10k', 4), ['incompatible']);
      await bed.api.setFaults(host('mx', 1), ['disk-full']);
      // Nothing listens there: the connection is refused.
      await bed.db.device.update({ where: { hostname: host('c10k', 2) }, data: { port: 1 } });
      // Pinned: another device's key, so the one it presents is refused.
      const other = bed.devices.find((d) => d.hostname === host('c10k', 0))!.hostKey;
      const d3 = await bed.db.device.findUniqueOrThrow({ where: { hostname: host('c10k', 3) } });
      await bed.db.deviceHostKey.create({ data: { deviceId: d3.id, ...other, source: 'import' } });

      const images = await bed.db.softwareImage.findMany();
      const target = (family: string, index: number) =>
        images.find((i) => i.platformFamily === family && i.version === imagesOf(family as 'mx')[index]!.version)!;
      const devices = await bed.db.device.findMany();
      const previewAt = new Date();
      const campaign = await bed.db.campaign.create({
        data: {
          name: 'preview under test',
          ticket: 'CHG0000002',
          status: 'DRAFT',
          selection: { kind: 'ids', deviceIds: devices.map((d) => d.id) },
          windowStart: new Date(Date.now() + 3600_000),
          windowEnd: new Date(Date.now() + 7200_000),
          timeZone: 'UTC',
          allowDisruptive: true,
          authorIds: [bed.userId],
          createdById: bed.userId,
          previewRequestedAt: previewAt,
          targets: {
            create: [target('c10k', 1), target('asr1000', 2), target('mx', 1)].map((i) => ({ imageId: i.id })),
          },
          devices: { create: devices.map((d) => ({ deviceId: d.id })) },
        },
      });
      for (const d of devices) {
        await enqueue(queue, 'campaign-precheck', {
          campaignId: campaign.id,
          deviceId: d.id,
          previewAt: previewAt.getTime(),
        });
      }
      await worker.ready;
      const rows = await eventually(
        async () => {
          const all = await bed.db.campaignDevice.findMany({
            where: { campaignId: campaign.id },
            include: { device: { select: { hostname: true } } },
          });
          return all.every((r) => r.predictedAt && r.predictedAt >= previewAt) && all;
        },
        { timeoutMs: 90_000, intervalMs: 250, what: 'every device predicted' },
      );
      const got = Object.fromEntries(rows.map((r) => [r.device.hostname, r]));
      for (const [hostname, want] of Object.entries(cases)) {
        const r = got[hostname]!;
        expect(r.impact, `${hostname}: ${r.impactReason}`).toBe(want.impact);
        if (want.reason) expect(r.impactReason, hostname).toMatch(want.reason);
        const checked = !['UNREACHABLE', 'NO_TARGET'].includes(want.impact);
        if (checked) {
          expect(Array.isArray(r.evidence), hostname).toBe(true);
          expect((r.evidence as { rule: string }[]).length, hostname).toBeGreaterThan(3);
        } else {
          expect(r.evidence, hostname).toBeNull();
        }
      }
      expect(Object.keys(got).sort()).toEqual(Object.keys(cases).sort());

      // The proof: every line any device received was a read.
      for (const d of bed.devices) {
        const { log } = await bed.api.commands(d.hostname);
        const lines = log.map((l) => l.line.trim()).filter(Boolean);
        expect(
          lines.filter((l) => CHANGES.test(l) || CISCO_DISRUPTIVE.test(l) || JUNOS_DISRUPTIVE.test(l)),
          d.hostname,
        ).toEqual([]);
        expect(
          lines.filter((l) => !READ_ONLY.test(l)),
          d.hostname,
        ).toEqual([]);
        if (cases[d.hostname]!.impact !== 'UNREACHABLE' && cases[d.hostname]!.impact !== 'NO_TARGET') {
          expect(lines.length, d.hostname).toBeGreaterThan(3);
        }
      }

      // Answered already, or superseded by a newer preview: nothing is read or written again.
      const deps = {
        db: bed.db,
        events: new EventPublisher(bed.redis, prefix),
        key: bed.key,
        engine: ENGINE,
        log: pino({ level: 'warn' }),
      };
      const healthy = got[host('c10k', 0)]!;
      const before = (await bed.api.commands(host('c10k', 0))).log.length;
      const again = { campaignId: campaign.id, deviceId: healthy.deviceId };
      expect(await runCampaignPrecheck(deps, { ...again, previewAt: previewAt.getTime() })).toBe('skipped');
      expect(await runCampaignPrecheck(deps, { ...again, previewAt: previewAt.getTime() - 1000 })).toBe('skipped');
      const newer = new Date(previewAt.getTime() + 5000);
      await bed.db.campaign.update({ where: { id: campaign.id }, data: { previewRequestedAt: newer } });
      expect(await runCampaignPrecheck(deps, { ...again, previewAt: previewAt.getTime() })).toBe('skipped');
      expect((await bed.api.commands(host('c10k', 0))).log.length).toBe(before);
      // The newer request reads the device again.
      expect(await runCampaignPrecheck(deps, { ...again, previewAt: newer.getTime() })).toBe('predicted');
      const fresh = await bed.db.campaignDevice.findUniqueOrThrow({
        where: { campaignId_deviceId: { campaignId: campaign.id, deviceId: healthy.deviceId } },
      });
      expect(fresh.predictedAt!.getTime()).toBeGreaterThanOrEqual(newer.getTime());
      expect((await bed.api.commands(host('c10k', 0))).log.length).toBeGreaterThan(before);
    } finally {
      await stopWorker(worker);
      await queue.close();
      await bed.close();
    }
  }, 180_000);
});
