import { describe, expect, it } from 'vitest';
import { imagesOf } from '../catalog.ts';
import { ManualClock } from '../clock.ts';
import type { SyslogEvent } from '../events.ts';
import type { FaultName } from '../faults.ts';
import { CiscoChassis } from './chassis.ts';
import { CISCO_PLATFORMS } from './platforms.ts';

const [SB8, SB9, SB10] = imagesOf('c10k').map((i) => i.fileName) as [string, string, string];
const RELOAD = CISCO_PLATFORMS.c10k.reloadMs;

function setup(faults: FaultName[] = [], family: 'c10k' | 'cat4500' | 'asr1000' = 'c10k') {
  const clock = new ManualClock();
  const log: SyslogEvent[] = [];
  const drops: string[] = [];
  const reach: boolean[] = [];
  const ch = new CiscoChassis({
    hostname: 'pe1',
    platform: CISCO_PLATFORMS[family],
    clock,
    timeScale: 1,
    lossWindowMs: 800,
    faults,
    events: { syslog: (e) => log.push(e), dropSessions: (r) => drops.push(r), reachability: (up) => reach.push(up) },
  });
  return { ch, clock, log, drops, reach };
}

const loadArgs = (img = SB9) => ['a', `disk0:${img}`, 'b', `stby-disk0:${img}`];

/** Init → Load Version with the standby back STANDBY HOT. */
function loaded(s: ReturnType<typeof setup>, img = SB9) {
  expect(s.ch.loadVersion(loadArgs(img)).ok).toBe(true);
  s.clock.advance(RELOAD);
}

/** … → Run Version with the old active back STANDBY HOT. */
function running(s: ReturnType<typeof setup>, img = SB9) {
  loaded(s, img);
  expect(s.ch.runVersion(['b', `stby-disk0:${img}`]).ok).toBe(true);
  s.ch.commitRunVersion();
  s.clock.advance(RELOAD);
}

const images = (ch: CiscoChassis) => Object.values(ch.rps).map((rp) => rp.image);

describe('Cisco ISSU state machine', () => {
  it('starts in Init with both RPs on the same image, standby hot', () => {
    const { ch } = setup();
    expect(ch.issu.state).toBe('Init');
    expect(ch.activeSlot).toBe('A');
    expect(ch.standby.rf).toBe('STANDBY HOT');
    expect(images(ch)).toEqual([SB8, SB8]);
  });

  it('loadversion: the standby reloads on the new image and comes back STANDBY HOT after a while', () => {
    const s = setup();
    expect(s.ch.loadVersion(loadArgs()).ok).toBe(true);
    expect(s.ch.issu).toMatchObject({ state: 'Load Version', original: SB8, target: SB9 });
    expect(s.ch.standby).toMatchObject({ rf: 'DISABLED', image: SB9, boot: [SB9, SB8] });
    s.clock.advance(RELOAD * 0.75);
    expect(s.ch.standby.rf).toBe('STANDBY COLD');
    s.clock.advance(RELOAD * 0.25);
    expect(s.ch.standby.rf).toBe('STANDBY HOT');
    expect(s.ch.active.image).toBe(SB8);
    expect(s.drops).toEqual([]);
    expect(s.log.map((l) => l.msgId)).toContain('RF-5-RF_TERMINAL_STATE');
  });

  it('runversion: switches over, drops sessions, starts the 45:00 rollback timer; the old active returns hot on the old image', () => {
    const s = setup();
    loaded(s);
    expect(s.ch.runVersion(['b', `stby-disk0:${SB9}`]).ok).toBe(true);
    s.ch.commitRunVersion();
    expect(s.drops).toEqual(['switchover']);
    expect(s.ch.issu.state).toBe('Run Version');
    expect(s.ch.activeSlot).toBe('B');
    expect(s.ch.active.image).toBe(SB9);
    expect(s.ch.rollbackRemainingMs()).toBe(45 * 60_000);
    expect(s.ch.lastSwitchover).toMatchObject({ kind: 'SSO', lossMs: 800 });
    expect(s.ch.reachable).toBe(false);
    s.clock.advance(CISCO_PLATFORMS.c10k.switchoverGapMs);
    expect(s.ch.reachable).toBe(true);
    s.clock.advance(RELOAD);
    expect(s.ch.standby).toMatchObject({ slot: 'A', image: SB8, rf: 'STANDBY HOT' });
  });

  it('acceptversion stops the timer; commitversion reloads the other RP on the new image and returns to Init', () => {
    const s = setup();
    running(s);
    expect(s.ch.acceptVersion(['b', `disk0:${SB9}`]).ok).toBe(true);
    expect(s.ch.rollbackRemainingMs()).toBeNull();
    s.clock.advance(2 * 3600_000);
    expect(s.ch.issu.state).toBe('Run Version');
    expect(s.ch.commitVersion(['a', `stby-disk0:${SB9}`]).ok).toBe(true);
    expect(s.ch.issu.state).toBe('Init');
    expect(s.ch.standby.rf).toBe('DISABLED');
    s.clock.advance(RELOAD);
    expect(images(s.ch)).toEqual([SB9, SB9]);
    expect(s.ch.standby.rf).toBe('STANDBY HOT');
    expect(s.ch.active.boot[0]).toBe(SB9);
    expect(s.drops).toEqual(['switchover']);
  });

  it('commitversion without acceptversion is allowed and stops the timer', () => {
    const s = setup();
    running(s);
    expect(s.ch.commitVersion([`stby-disk0:${SB9}`]).ok).toBe(true);
    expect(s.ch.rollbackRemainingMs()).toBeNull();
    s.clock.advance(3 * 3600_000);
    expect(images(s.ch)).toEqual([SB9, SB9]);
    expect(s.ch.issu.state).toBe('Init');
  });

  it('runversion, acceptversion and commitversion take their slot and image as optional, as the seed says', () => {
    const s = setup();
    loaded(s);
    expect(s.ch.runVersion([]).ok).toBe(true);
    s.ch.commitRunVersion();
    expect(s.ch.activeSlot).toBe('B');
    s.clock.advance(RELOAD);
    expect(s.ch.acceptVersion([]).ok).toBe(true);
    expect(s.ch.rollbackRemainingMs()).toBeNull();
    expect(s.ch.acceptVersion([]).lines[0]).toMatch(/already been stopped/);
    expect(s.ch.commitVersion([]).ok).toBe(true);
    s.clock.advance(RELOAD);
    expect(images(s.ch)).toEqual([SB9, SB9]);
    expect(s.ch.issu.state).toBe('Init');
  });

  it('abortversion from Load Version reloads the standby with the original image', () => {
    const s = setup();
    loaded(s);
    expect(s.ch.abortSwitchesOver()).toBe(false);
    expect(s.ch.abortVersion([]).ok).toBe(true);
    s.ch.commitAbortVersion();
    expect(s.ch.issu.state).toBe('Init');
    expect(s.ch.standby.rf).toBe('DISABLED');
    s.clock.advance(RELOAD);
    expect(images(s.ch)).toEqual([SB8, SB8]);
    expect(s.ch.activeSlot).toBe('A');
    expect(s.drops).toEqual([]);
  });

  it('abortversion while the new standby is still booting also restores the original', () => {
    const s = setup();
    s.ch.loadVersion(loadArgs());
    s.clock.advance(RELOAD / 2);
    expect(s.ch.abortVersion([]).ok).toBe(true);
    s.ch.commitAbortVersion();
    s.clock.advance(RELOAD * 2);
    expect(images(s.ch)).toEqual([SB8, SB8]);
    expect(s.ch.standby.rf).toBe('STANDBY HOT');
  });

  it('abortversion from Run Version switches back to the RP on the original image', () => {
    const s = setup();
    running(s);
    expect(s.ch.abortSwitchesOver()).toBe(true);
    expect(s.ch.abortVersion(['b', `disk0:${SB9}`]).ok).toBe(true);
    s.ch.commitAbortVersion();
    expect(s.drops).toEqual(['switchover', 'switchover']);
    expect(s.ch.activeSlot).toBe('A');
    expect(s.ch.active.image).toBe(SB8);
    expect(s.ch.issu.state).toBe('Init');
    s.clock.advance(RELOAD);
    expect(images(s.ch)).toEqual([SB8, SB8]);
    expect(s.ch.rollbackRemainingMs()).toBeNull();
  });

  it('abortversion after acceptversion still switches back', () => {
    const s = setup();
    running(s);
    expect(s.ch.acceptVersion([]).ok).toBe(true);
    expect(s.ch.rollbackRemainingMs()).toBeNull();
    expect(s.ch.abortSwitchesOver()).toBe(true);
    expect(s.ch.abortVersion([]).ok).toBe(true);
    s.ch.commitAbortVersion();
    expect(s.ch.activeSlot).toBe('A');
    expect(s.ch.issu.state).toBe('Init');
    s.clock.advance(RELOAD);
    expect(images(s.ch)).toEqual([SB8, SB8]);
  });

  it('the rollback timer expiring rolls the device back by itself', () => {
    const s = setup();
    running(s);
    s.clock.advance(45 * 60_000 - RELOAD - 1000);
    expect(s.ch.issu.state).toBe('Run Version');
    s.clock.advance(2000);
    expect(s.ch.issu.state).toBe('Init');
    expect(s.ch.active.image).toBe(SB8);
    expect(s.log.map((l) => l.msgId)).toContain('ISSU-3-ROLLBACK_TIMER_EXPIRED');
    s.clock.advance(RELOAD);
    expect(images(s.ch)).toEqual([SB8, SB8]);
  });

  it('an abortversion confirmed after the rollback timer already rolled back does nothing more (it used to crash)', () => {
    const s = setup();
    running(s);
    // `issu abortversion` is checked and asks [confirm]; the timer fires before the answer.
    expect(s.ch.abortVersion([]).ok).toBe(true);
    s.clock.advance(45 * 60_000);
    expect(s.ch.issu.state).toBe('Init');
    const switchovers = s.ch.switchovers;
    expect(() => s.ch.commitAbortVersion()).not.toThrow();
    expect(s.ch.switchovers).toBe(switchovers);
    s.clock.advance(RELOAD);
    expect(images(s.ch)).toEqual([SB8, SB8]);
    expect(s.ch.standby.rf).toBe('STANDBY HOT');
  });

  it('an abortversion confirmed after the standby finished an abort from Load Version does nothing more', () => {
    const s = setup();
    loaded(s);
    expect(s.ch.abortVersion([]).ok).toBe(true);
    s.ch.commitAbortVersion();
    expect(() => s.ch.commitAbortVersion()).not.toThrow();
    s.clock.advance(RELOAD);
    expect(images(s.ch)).toEqual([SB8, SB8]);
  });

  it('a rollback timer that fires while the old active is still booting rolls back as soon as it is hot', () => {
    const s = setup();
    expect(s.ch.setRollbackTimer(60).ok).toBe(true);
    loaded(s);
    s.ch.runVersion([]);
    s.ch.commitRunVersion();
    s.clock.advance(61_000);
    expect(s.ch.standby.rf).not.toBe('STANDBY HOT');
    expect(s.ch.issu.state).toBe('Run Version');
    expect(s.ch.active.image).toBe(SB9);
    s.clock.advance(RELOAD);
    expect(s.ch.issu.state).toBe('Init');
    expect(s.ch.active.image).toBe(SB8);
    expect(s.log.map((l) => l.msgId)).toContain('ISSU-3-ROLLBACK_TIMER_EXPIRED');
    s.clock.advance(RELOAD);
    expect(images(s.ch)).toEqual([SB8, SB8]);
  });

  it('reload during ISSU boots both RPs from their boot variable and leaves ISSU in Init', () => {
    const s = setup();
    running(s);
    s.ch.reloadChassis();
    expect(s.drops).toEqual(['switchover', 'reload']);
    expect(s.ch.reachable).toBe(false);
    expect(s.ch.issu.state).toBe('Init');
    expect(s.ch.rollbackRemainingMs()).toBeNull();
    s.clock.advance(RELOAD);
    expect(s.ch.reachable).toBe(true);
    expect(s.log.map((l) => l.msgId)).toContain('SYS-5-RESTART');
    s.clock.advance(RELOAD);
    expect(s.ch.standby.rf).toBe('STANDBY HOT');
    // B's boot variable was set to the new image by loadversion; A's still names the original.
    expect(s.ch.rps.B!.image).toBe(SB9);
    expect(s.ch.rps.A!.image).toBe(SB8);
  });

  it('a configured rollback timer (in Init only) is honoured and scaled with the time scale', () => {
    const s = setup();
    expect(s.ch.setRollbackTimer(600).ok).toBe(true);
    loaded(s);
    expect(s.ch.setRollbackTimer(900).ok).toBe(false);
    s.ch.commitRunVersion();
    expect(s.ch.rollbackRemainingMs()).toBe(600_000);
    expect(s.ch.setRollbackTimer(99_999).ok).toBe(false);
  });

  it('refuses every command given in the wrong state, with an IOS-style error', () => {
    const s = setup();
    expect(s.ch.runVersion([]).lines[0]).toMatch(/^% ISSU runversion is not allowed in state Init/);
    expect(s.ch.acceptVersion([]).ok).toBe(false);
    expect(s.ch.commitVersion([]).ok).toBe(false);
    expect(s.ch.abortVersion([]).lines[0]).toMatch(/^% ISSU is not in progress/);
    s.ch.loadVersion(loadArgs());
    expect(s.ch.loadVersion(loadArgs()).lines[0]).toMatch(/already in progress/);
    expect(s.ch.runVersion([`stby-disk0:${SB9}`]).lines[0]).toMatch(/not in STANDBY HOT/);
    expect(s.ch.acceptVersion([]).ok).toBe(false);
    s.clock.advance(RELOAD);
    expect(s.ch.runVersion([`stby-disk0:${SB10}`]).lines[0]).toMatch(/is not the image loaded/);
    expect(s.ch.runVersion(['a', `stby-disk0:${SB9}`]).lines[0]).toMatch(/Slot a is not valid/);
    expect(s.ch.loadVersion(['disk0:nope.bin']).ok).toBe(false);
  });

  it('checks the image arguments of loadversion', () => {
    const s = setup();
    expect(s.ch.loadVersion([`disk0:${SB9}`, `stby-disk0:${SB10}`]).lines[0]).toMatch(/same image/);
    expect(s.ch.loadVersion(['disk0:missing.bin']).lines[0]).toMatch(/No such file/);
    expect(s.ch.loadVersion([`usb0:${SB9}`]).lines[0]).toMatch(/No such device/);
    expect(s.ch.loadVersion([`disk0:${SB8}`]).lines[0]).toMatch(/already the running image/);
    expect(s.ch.loadVersion([]).lines[0]).toBe('% Incomplete command.');
  });

  it('gives B (base-level) for versions two apart and still allows ISSU', () => {
    const s = setup();
    expect(s.ch.compat(SB8, SB10)).toBe('B');
    loaded(s, SB10);
    expect(s.ch.operatingMode).toBe('SSO');
  });
});

describe('Cisco faults', () => {
  it('incompatible: the matrix says I and loadversion refuses', () => {
    const s = setup(['incompatible']);
    expect(s.ch.compat(SB8, SB9)).toBe('I');
    const r = s.ch.loadVersion(loadArgs());
    expect(r.ok).toBe(false);
    expect(r.lines[0]).toMatch(/incompatible/);
    expect(s.ch.issu.state).toBe('Init');
  });

  it('the Catalyst 4500 barrier makes 03.05 → 03.06.00.E incompatible without any fault', () => {
    const s = setup([], 'cat4500');
    const [v35, v36] = imagesOf('cat4500').map((i) => i.fileName) as [string, string];
    expect(s.ch.compat(v35, v36)).toBe('I');
    expect(s.ch.loadVersion([`bootflash:${v36}`]).ok).toBe(false);
  });

  it('image-corrupt: checksums differ from the catalogue and loadversion refuses before any disruption', () => {
    const s = setup(['image-corrupt']);
    const good = imagesOf('c10k')[1]!;
    expect(s.ch.digests(s.ch.standby, SB9)!.md5).not.toBe(good.md5);
    expect(s.ch.digests(s.ch.active, SB8)!.md5).toBe(imagesOf('c10k')[0]!.md5);
    expect(s.ch.loadVersion(loadArgs()).lines[0]).toMatch(/signature verification failed/);
    expect(s.ch.standby.rf).toBe('STANDBY HOT');
  });

  it('disk-full: the standby lacks the image and has almost no room', () => {
    const s = setup(['disk-full']);
    expect(s.ch.freeBytes(s.ch.standby)).toBeLessThan(2 * 1024 * 1024);
    expect(s.ch.standby.files.has(SB9)).toBe(false);
    expect(s.ch.loadVersion(loadArgs()).lines[0]).toMatch(/stby-disk0:.*No such file/);
    s.ch.setFaults([]);
    expect(s.ch.standby.files.has(SB9)).toBe(true);
  });

  it('standby-never-hot: the standby on the new image stalls in STANDBY COLD; abort brings it back hot', () => {
    const s = setup(['standby-never-hot']);
    s.ch.loadVersion(loadArgs());
    s.clock.advance(RELOAD * 10);
    expect(s.ch.standby.rf).toBe('STANDBY COLD');
    expect(s.ch.runVersion([`stby-disk0:${SB9}`]).ok).toBe(false);
    s.ch.commitAbortVersion();
    s.clock.advance(RELOAD);
    expect(s.ch.standby.rf).toBe('STANDBY HOT');
    expect(images(s.ch)).toEqual([SB8, SB8]);
  });

  it('slow-standby-boot: reloads take four times longer', () => {
    const s = setup(['slow-standby-boot']);
    s.ch.loadVersion(loadArgs());
    s.clock.advance(RELOAD * 3);
    expect(s.ch.standby.rf).not.toBe('STANDBY HOT');
    s.clock.advance(RELOAD);
    expect(s.ch.standby.rf).toBe('STANDBY HOT');
  });

  it('post-check-failure: after the switchover a neighbour and an interface are down; abort restores them', () => {
    const s = setup(['post-check-failure']);
    running(s);
    expect(s.ch.net.neighbors.filter((n) => !n.up)).toHaveLength(1);
    expect(s.ch.net.interfaces.filter((i) => !i.up)).toHaveLength(1);
    s.ch.commitAbortVersion();
    expect(s.ch.net.neighbors.every((n) => n.up)).toBe(true);
  });

  it('unreachable-until-rollback: nothing answers until the rollback timer rolls the device back', () => {
    const s = setup(['unreachable-until-rollback']);
    running(s); // 6 minutes into the 45-minute timer
    expect(s.ch.reachable).toBe(false);
    s.clock.advance(38 * 60_000);
    expect(s.ch.reachable).toBe(false);
    expect(s.ch.issu.state).toBe('Run Version');
    s.clock.advance(2 * 60_000);
    expect(s.ch.issu.state).toBe('Init');
    s.clock.advance(CISCO_PLATFORMS.c10k.switchoverGapMs);
    expect(s.ch.reachable).toBe(true);
    expect(s.ch.active.image).toBe(SB8);
    expect(s.reach).toEqual([false, true]);
  });
});

describe('Cisco Fast Software Upgrade pieces', () => {
  it('an incompatible standby only reaches STANDBY COLD (RPR); a forced switchover then loses traffic for much longer', () => {
    const s = setup(['incompatible']);
    expect(s.ch.setBootSystem(`disk0:${SB9}`).ok).toBe(true);
    s.ch.standby.boot = [SB9];
    expect(s.ch.reloadPeer().ok).toBe(true);
    s.clock.advance(RELOAD * 2);
    expect(s.ch.standby.rf).toBe('STANDBY COLD');
    expect(s.ch.operatingMode).toBe('RPR');
    s.ch.active.boot = [SB9];
    expect(s.ch.forceSwitchoverCheck().ok).toBe(true);
    s.ch.commitForceSwitchover();
    expect(s.ch.lastSwitchover!.kind).toBe('RPR');
    expect(s.ch.lastSwitchover!.lossMs).toBeGreaterThan(30_000);
    s.clock.advance(RELOAD * 2);
    expect(images(s.ch)).toEqual([SB9, SB9]);
  });
});

describe('catalogue order', () => {
  it('orders releases as the vendor does, not as strings (SB10 is newer than SB9)', () => {
    const { ch } = setup();
    expect(ch.active.files.has(SB10)).toBe(true);
    expect(ch.compat(SB9, SB10)).toBe('C');
  });
});
