// Longer than 300 lines: the ISSU state machine, the RF states, reloads, faults and the rollback timer
// share one model whose invariants must stay in one place.
// A dual-RP Cisco IOS / IOS-XE chassis and its ISSU state machine (seed 003):
//   Init → issu loadversion → Load Version (standby reloads on the new image, comes back
//   STANDBY HOT) → issu runversion → Run Version (switchover; sessions drop; rollback timer
//   starts) → issu acceptversion (timer stops) → issu commitversion (the other RP reloads on the
//   new image) → Init.
// `issu abortversion` restores the original state from every stage, and so does the rollback
// timer expiring. Pure model: time comes from the injected clock, effects leave as events.
import {
  compatibility,
  corruptDigests,
  findImage,
  imagesOf,
  isNewer,
  type CompatLevel,
  type LabImage,
} from '../catalog.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import type { FaultName } from '../faults.ts';
import { degrade, generateNetwork, type NetworkState } from '../network.ts';
import type { ChassisEvents, ChassisOptions } from '../events.ts';
import { stableNumber } from '../logging.ts';
import type { CiscoPlatform } from './platforms.ts';

/** RF (redundancy facility) states, with the numbers `show redundancy states` prints. */
export const RF_STATES = {
  DISABLED: 1,
  'STANDBY COLD': 4,
  'STANDBY COLD-BULK': 7,
  'STANDBY HOT': 8,
  ACTIVE: 13,
} as const;
export type RfState = keyof typeof RF_STATES;

export interface FileEntry {
  name: string;
  size: number;
  mtime: number;
}

export interface Rp {
  slot: string;
  /** File name of the running image (without file system). */
  image: string;
  /** Boot variable entries: file names, in order. */
  boot: string[];
  rf: RfState;
  bootedAt: number;
  stateSince: number;
  files: Map<string, FileEntry>;
  /** This RP's `service sequence-numbers` counter: the number of its last message. */
  logSeq: number;
}

export type IssuState = 'Init' | 'Load Version' | 'Run Version';
export type IssuOperation = 'loadversion' | 'runversion' | 'acceptversion' | 'commitversion' | 'abortversion';

export interface IssuProcess {
  state: IssuState;
  original: string | null;
  target: string | null;
  /** Slot that received the new image first (the standby at loadversion). */
  slotModified: string | null;
  lastOperation: IssuOperation | null;
  lastOperationAt: number | null;
  rollbackDeadline: number | null;
  accepted: boolean;
}

export type Outcome = { ok: true; lines: string[] } | { ok: false; lines: string[] };

export interface Switchover {
  at: number;
  lossMs: number;
  kind: 'SSO' | 'RPR';
  reason: string;
}

export interface CiscoChassisOptions extends ChassisOptions {
  platform: CiscoPlatform;
}

const ok = (lines: string[] = []): Outcome => ({ ok: true, lines });
const fail = (...lines: string[]): Outcome => ({ ok: false, lines });

export class CiscoChassis {
  readonly hostname: string;
  readonly platform: CiscoPlatform;
  readonly rps: Record<string, Rp>;
  activeSlot: string;
  issu: IssuProcess;
  /** `configure issu set rollback-timer`, in seconds (device time, before scaling). */
  rollbackTimerSec = 45 * 60;
  switchovers = 0;
  standbyFailures = 0;
  lastSwitchoverReason = 'none';
  systemBootedAt: number;
  reachable = true;
  lastSwitchover: Switchover | null = null;
  lossWindowMs: number;
  readonly net: NetworkState;
  readonly faults = new Set<FaultName>();

  private readonly clock: Clock;
  private readonly timeScale: number;
  private readonly events: ChassisEvents;
  private standbyTimers: TimerHandle[] = [];
  private rollbackTimer: TimerHandle | undefined;
  private reachabilityTimer: TimerHandle | undefined;
  private pendingRollback = false;

  constructor(options: CiscoChassisOptions) {
    this.hostname = options.hostname;
    this.platform = options.platform;
    this.clock = options.clock;
    this.timeScale = options.timeScale;
    this.events = options.events;
    this.lossWindowMs = options.lossWindowMs;
    const images = imagesOf(options.platform.family);
    const start = (options.version && findImage(options.platform.family, options.version)) || images[0]!;
    const now = this.clock.now();
    this.systemBootedAt = now - 3 * 86_400_000;
    const files = () =>
      new Map(
        images
          .filter((i) => i === start || isNewer(options.platform.family, i.version, start.version))
          .map((i) => [
            i.fileName,
            { name: i.fileName, size: i.sizeBytes, mtime: Date.parse(`${i.releaseDate}T09:30:00Z`) },
          ]),
      );
    const [a, b] = options.platform.slots;
    this.rps = {
      [a]: {
        slot: a,
        image: start.fileName,
        boot: [start.fileName],
        rf: 'ACTIVE',
        bootedAt: this.systemBootedAt,
        stateSince: this.systemBootedAt,
        files: files(),
        // Three days of messages on the active; the standby logged little more than its boot.
        logSeq: 120 + stableNumber(`seq:${options.hostname}:${a}`, 800),
      },
      [b]: {
        slot: b,
        image: start.fileName,
        boot: [start.fileName],
        rf: 'STANDBY HOT',
        bootedAt: this.systemBootedAt + 60_000,
        stateSince: this.systemBootedAt + 420_000,
        files: files(),
        logSeq: this.bootLogCount(b),
      },
    };
    this.activeSlot = a;
    this.issu = this.idleIssu();
    this.net = generateNetwork(options.hostname, 'cisco', now);
    this.setFaults(options.faults ?? []);
  }

  // ---- views -------------------------------------------------------------------------------

  get active(): Rp {
    return this.rps[this.activeSlot]!;
  }

  get standby(): Rp {
    return this.rps[this.otherSlot(this.activeSlot)]!;
  }

  otherSlot(slot: string): string {
    const [a, b] = this.platform.slots;
    return slot === a ? b : a;
  }

  image(fileName: string): LabImage | undefined {
    return findImage(this.platform.family, fileName);
  }

  versionOf(fileName: string): string {
    return this.image(fileName)?.version ?? 'unknown';
  }

  /** SSO when both RPs can be in sync, RPR when their images are incompatible. */
  get operatingMode(): 'SSO' | 'RPR' {
    return this.compat(this.active.image, this.standby.image) === 'I' ? 'RPR' : 'SSO';
  }

  compat(fromFile: string, toFile: string): CompatLevel {
    if (fromFile === toFile) return 'C';
    if (this.faults.has('incompatible')) return 'I';
    return compatibility(this.platform.family, this.versionOf(fromFile), this.versionOf(toFile));
  }

  /** md5/sha256 of a file as the device computes them (`verify`). */
  digests(rp: Rp, fileName: string): { md5: string; sha256: string } | undefined {
    if (!rp.files.has(fileName)) return undefined;
    const img = this.image(fileName);
    if (!img) return undefined;
    const running = Object.values(this.rps).some((r) => r.image === fileName);
    return this.faults.has('image-corrupt') && !running
      ? corruptDigests(fileName)
      : { md5: img.md5, sha256: img.sha256 };
  }

  freeBytes(rp: Rp): number {
    if (this.faults.has('disk-full') && rp === this.standby) return 1_835_008;
    const used = [...rp.files.values()].reduce((s, f) => s + f.size, 0);
    return this.platform.diskBytes - used;
  }

  rollbackRemainingMs(): number | null {
    return this.issu.rollbackDeadline === null ? null : Math.max(0, this.issu.rollbackDeadline - this.clock.now());
  }

  /** Durations the device shows and waits are all divided by the time scale. */
  scaled(ms: number): number {
    return ms / this.timeScale;
  }

  // ---- faults ------------------------------------------------------------------------------

  setFaults(faults: Iterable<FaultName>): void {
    this.faults.clear();
    for (const f of faults) this.faults.add(f);
    // A full standby disk has no room for anything but the image it runs.
    for (const rp of Object.values(this.rps)) {
      if (this.faults.has('disk-full') && rp === this.standby) {
        for (const name of [...rp.files.keys()]) if (name !== rp.image) rp.files.delete(name);
      } else {
        for (const i of imagesOf(this.platform.family)) {
          if (!rp.files.has(i.fileName))
            rp.files.set(i.fileName, {
              name: i.fileName,
              size: i.sizeBytes,
              mtime: Date.parse(`${i.releaseDate}T09:30:00Z`),
            });
        }
      }
    }
  }

  // ---- ISSU commands -----------------------------------------------------------------------

  /**
   * Parses `[slot] image [slot image]` arguments: every image must be the same file, the
   * slots (when given) must name the RPs the step acts on. Only loadversion needs an image;
   * for the later steps the seed makes slot and image optional, and they default to the
   * image loadversion loaded.
   */
  private parseSlotImages(
    args: string[],
    expected: { slots: string[]; imageRequired?: boolean },
  ): { image: string } | Outcome {
    const slots = new Set(this.platform.slots.map((s) => s.toLowerCase()));
    const images: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (slots.has(a.toLowerCase())) {
        const slot = this.platform.slots.find((s) => s.toLowerCase() === a.toLowerCase())!;
        if (!expected.slots.includes(slot))
          return fail(`% Slot ${a} is not valid for this operation (expected ${expected.slots.join(' or ')})`);
        continue;
      }
      const m = /^([a-z0-9-]+:)\/?(.+)$/i.exec(a);
      if (!m) return fail(`% Invalid image name ${a}; use <filesystem>:<file>`);
      if (!this.platform.fs.includes(m[1]!)) return fail(`%Error opening ${a} (No such device)`);
      images.push(m[2]!);
    }
    if (images.length === 0) {
      if (expected.imageRequired || !this.issu.target) return fail('% Incomplete command.');
      return { image: this.issu.target };
    }
    if (new Set(images).size > 1) return fail('% You must provide the same image for the active and the standby slots');
    return { image: images[0]! };
  }

  loadVersion(args: string[]): Outcome {
    if (this.issu.state !== 'Init')
      return fail(`% ISSU process is already in progress (state ${this.issu.state}); abort it first`);
    const parsed = this.parseSlotImages(args, { slots: [...this.platform.slots], imageRequired: true });
    if ('ok' in parsed) return parsed;
    const { image } = parsed;
    const active = this.active;
    const standby = this.standby;
    if (standby.rf !== 'STANDBY HOT')
      return fail(`% Standby RP is not in STANDBY HOT state (${standby.rf}); cannot start ISSU`);
    if (!active.files.has(image))
      return fail(`%Error opening ${this.platform.fs[0]}${image} (No such file or directory)`);
    if (!standby.files.has(image))
      return fail(`%Error opening ${this.platform.fs[1]}${image} (No such file or directory)`);
    if (image === active.image) return fail(`% ${image} is already the running image`);
    if (!this.image(image)) return fail(`% ${image} is not a valid IOS image`);
    if (this.faults.has('image-corrupt'))
      return fail(
        `%Error: signature verification failed for ${this.platform.fs[1]}${image}`,
        '% ISSU loadversion aborted',
      );
    if (this.compat(active.image, image) === 'I') {
      return fail(
        `% The running image and ${image} are incompatible (Incomp): ISSU is not possible between them.`,
        '% Use Fast Software Upgrade instead.',
      );
    }
    const now = this.clock.now();
    this.issu = {
      state: 'Load Version',
      original: active.image,
      target: image,
      slotModified: standby.slot,
      lastOperation: 'loadversion',
      lastOperationAt: now,
      rollbackDeadline: null,
      accepted: false,
    };
    standby.boot = [image, active.image];
    this.syslog(
      5,
      'ISSU-5-ISSU_LOADVERSION',
      `Loadversion of ${image} started on standby slot ${standby.slot}; standby reloading`,
    );
    this.reloadStandby(image);
    return ok();
  }

  /** `issu runversion` after its [confirm]: the switchover to the standby running the new image. */
  runVersion(args: string[]): Outcome {
    if (this.issu.state !== 'Load Version') return fail(`% ISSU runversion is not allowed in state ${this.issu.state}`);
    const parsed = this.parseSlotImages(args, { slots: [this.standby.slot] });
    if ('ok' in parsed) return parsed;
    if (parsed.image !== this.issu.target)
      return fail(`% ${parsed.image} is not the image loaded by loadversion (${this.issu.target})`);
    if (this.standby.rf !== 'STANDBY HOT')
      return fail(`% Standby RP is not in STANDBY HOT state (${this.standby.rf}); runversion refused`);
    return ok();
  }

  /**
   * Performs the runversion switchover (after the command's output went out). `by` names who
   * asked, as IOS words it in %SYS-5-RELOAD (`admin on vty0 (10.0.0.5)`, `console`).
   */
  commitRunVersion(by = 'console'): void {
    // Another session may have aborted the ISSU while this one waited for its [confirm].
    if (this.issu.state !== 'Load Version') return;
    const now = this.clock.now();
    this.issu.state = 'Run Version';
    this.issu.lastOperation = 'runversion';
    this.issu.lastOperationAt = now;
    this.logReload(by, 'ISSU runversion');
    this.switchover('user initiated');
    this.issu.rollbackDeadline = now + this.scaled(this.rollbackTimerSec * 1000);
    this.issu.accepted = false;
    this.clock.clearTimeout(this.rollbackTimer);
    this.rollbackTimer = this.clock.setTimeout(() => this.rollbackExpired(), this.issu.rollbackDeadline - now);
    this.syslog(
      5,
      'ISSU-5-ISSU_RUNVERSION',
      `Runversion complete: slot ${this.activeSlot} is active on ${this.active.image}`,
    );
    this.syslog(
      5,
      'ISSU-5-ROLLBACK_TIMER_START',
      `Rollback timer started: ${formatMinSec(this.scaled(this.rollbackTimerSec * 1000))}`,
    );
    if (this.faults.has('post-check-failure')) degrade(this.net, true, now);
    if (this.faults.has('unreachable-until-rollback')) this.setReachable(false);
  }

  acceptVersion(args: string[]): Outcome {
    if (this.issu.state !== 'Run Version')
      return fail(`% ISSU acceptversion is not allowed in state ${this.issu.state}`);
    if (this.issu.accepted) return fail('% The rollback timer has already been stopped');
    const parsed = this.parseSlotImages(args, { slots: [this.activeSlot] });
    if ('ok' in parsed) return parsed;
    if (parsed.image !== this.issu.target)
      return fail(`% ${parsed.image} is not the running new image (${this.issu.target})`);
    this.stopRollbackTimer();
    this.issu.lastOperation = 'acceptversion';
    this.issu.lastOperationAt = this.clock.now();
    this.syslog(5, 'ISSU-5-ISSU_ACCEPTVERSION', 'Rollback timer stopped');
    return ok();
  }

  commitVersion(args: string[]): Outcome {
    if (this.issu.state !== 'Run Version')
      return fail(`% ISSU commitversion is not allowed in state ${this.issu.state}`);
    const parsed = this.parseSlotImages(args, { slots: [this.standby.slot] });
    if ('ok' in parsed) return parsed;
    if (parsed.image !== this.issu.target) return fail(`% ${parsed.image} is not the new image (${this.issu.target})`);
    if (this.standby.rf !== 'STANDBY HOT')
      return fail(`% Standby RP is not in STANDBY HOT state (${this.standby.rf}); commitversion refused`);
    const target = this.issu.target;
    this.stopRollbackTimer();
    this.active.boot = [target, this.issu.original!];
    this.standby.boot = [target, this.issu.original!];
    this.syslog(
      5,
      'ISSU-5-ISSU_COMMITVERSION',
      `Commitversion: standby slot ${this.standby.slot} reloading with ${target}`,
    );
    this.issu = this.idleIssu('commitversion');
    this.reloadStandby(target);
    return ok();
  }

  /** Whether abortversion will switch over (and so needs a [confirm] and drops sessions). */
  abortSwitchesOver(): boolean {
    return this.issu.state === 'Run Version';
  }

  abortVersion(args: string[]): Outcome {
    if (this.issu.state === 'Init') return fail('% ISSU is not in progress; nothing to abort');
    if (args.length > 0) {
      const parsed = this.parseSlotImages(args, { slots: [...this.platform.slots] });
      if ('ok' in parsed) return parsed;
    }
    if (this.issu.state === 'Run Version' && this.standby.rf !== 'STANDBY HOT') {
      return fail(`% Standby RP is not in STANDBY HOT state (${this.standby.rf}); abort will be possible once it is`);
    }
    return ok();
  }

  /** Performs the abort (after the command's output went out); `by` as for commitRunVersion. */
  commitAbortVersion(reason = 'user initiated abort', by = 'console'): void {
    // Between the [confirm] and this, the rollback timer (or another session) may already have
    // ended the ISSU: there is nothing left to abort, and Init has no original image.
    if (this.issu.state === 'Init' || this.issu.original === null) return;
    const original = this.issu.original;
    if (this.issu.state === 'Load Version') {
      // Before runversion: reset the standby and reload it with the original software.
      this.standby.boot = [original];
      this.syslog(
        5,
        'ISSU-5-ISSU_ABORTVERSION',
        `ISSU aborted; standby slot ${this.standby.slot} reloading with ${original}`,
      );
      this.issu = this.idleIssu('abortversion');
      this.reloadStandby(original);
      return;
    }
    // After runversion: switch back to the RP still running the original, reload the other.
    this.stopRollbackTimer();
    this.active.boot = [original];
    this.standby.boot = [original];
    this.syslog(
      4,
      'ISSU-4-ISSU_ABORTVERSION',
      `ISSU aborted (${reason}); switching back to slot ${this.standby.slot} running ${original}`,
    );
    this.issu = this.idleIssu('abortversion');
    this.logReload(by, reason === 'rollback timer expired' ? 'ISSU rollback timer expired' : 'ISSU abortversion');
    this.switchover(reason, original);
    degrade(this.net, false, this.clock.now());
  }

  private rollbackExpired(): void {
    this.rollbackTimer = undefined;
    if (this.issu.state !== 'Run Version' || this.issu.accepted) return;
    if (this.standby.rf !== 'STANDBY HOT') {
      // Cannot switch to a standby that is still booting: roll back as soon as it is hot.
      this.pendingRollback = true;
      return;
    }
    this.syslog(3, 'ISSU-3-ROLLBACK_TIMER_EXPIRED', `Rollback timer expired; rolling back to ${this.issu.original}`);
    this.commitAbortVersion('rollback timer expired', 'ISSU');
  }

  private stopRollbackTimer(): void {
    this.clock.clearTimeout(this.rollbackTimer);
    this.rollbackTimer = undefined;
    this.issu.rollbackDeadline = null;
    this.issu.accepted = true;
    this.pendingRollback = false;
  }

  setRollbackTimer(seconds: number): Outcome {
    if (this.issu.state !== 'Init')
      return fail('% The rollback timer can only be configured when ISSU is in the Init state');
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 7200)
      return fail('% Invalid rollback timer value; use 0-7200 seconds');
    this.rollbackTimerSec = seconds;
    return ok();
  }

  // ---- other redundancy operations (FSU, reload) --------------------------------------------

  /** `boot system flash <fs:file>` in configuration mode (synchronised to the standby). */
  setBootSystem(image: string | null): Outcome {
    if (image === null) {
      this.active.boot = [];
      this.standby.boot = [];
      return ok();
    }
    const m = /^([a-z0-9-]+:)\/?(.+)$/i.exec(image);
    if (!m || !this.platform.fs.includes(m[1]!)) return fail(`%Error: ${image} is not a valid boot image path`);
    for (const rp of [this.active, this.standby]) rp.boot = [...rp.boot.filter((b) => b !== m[2]!), m[2]!];
    return ok();
  }

  /** `redundancy reload peer`: the standby reboots with its boot variable. */
  reloadPeer(): Outcome {
    if (this.issu.state !== 'Init') return fail(`% Not allowed while ISSU is in progress (state ${this.issu.state})`);
    const image = this.bootImage(this.standby);
    this.syslog(5, 'REDUNDANCY-5-PEER_RELOAD', `Reloading the peer (slot ${this.standby.slot}) with ${image}`);
    this.reloadStandby(image);
    return ok();
  }

  /** `redundancy force-switchover` (after [confirm]): disruptive when the standby is only COLD (RPR). */
  forceSwitchoverCheck(): Outcome {
    if (this.issu.state !== 'Init') return fail(`% Not allowed while ISSU is in progress (state ${this.issu.state})`);
    if (this.standby.rf === 'DISABLED') return fail('% Standby RP is not ready for a switchover');
    return ok();
  }

  commitForceSwitchover(by = 'console'): void {
    this.logReload(by, 'Redundancy force-switchover');
    this.switchover('user forced', this.bootImage(this.active));
  }

  /** `reload` of the whole chassis: both RPs boot their boot variable; the box is gone meanwhile. */
  reloadChassis(by = 'console'): void {
    const now = this.clock.now();
    const downMs = this.scaled(this.platform.reloadMs);
    this.logReload(by, 'Reload Command');
    this.events.dropSessions('reload');
    this.setReachable(false);
    this.clearStandbyTimers();
    this.stopRollbackTimer();
    this.issu = this.idleIssu();
    for (const rp of Object.values(this.rps)) {
      rp.image = this.bootImage(rp);
      rp.rf = 'DISABLED';
      rp.bootedAt = now;
      rp.stateSince = now;
      rp.logSeq = this.bootLogCount(rp.slot);
    }
    this.systemBootedAt = now;
    this.at(downMs, () => {
      this.active.rf = 'ACTIVE';
      this.active.stateSince = this.clock.now();
      this.setReachable(true);
      this.syslog(
        5,
        'SYS-5-RESTART',
        `System restarted -- ${this.image(this.active.image)?.banner ?? this.active.image}`,
      );
      this.reloadStandby(this.standby.image);
    });
  }

  // ---- internals ---------------------------------------------------------------------------

  private idleIssu(last: IssuOperation | null = null): IssuProcess {
    return {
      state: 'Init',
      original: null,
      target: null,
      slotModified: null,
      lastOperation: last,
      lastOperationAt: last ? this.clock.now() : null,
      rollbackDeadline: null,
      accepted: false,
    };
  }

  private bootImage(rp: Rp): string {
    return rp.boot.find((b) => rp.files.has(b)) ?? rp.image;
  }

  private at(ms: number, fn: () => void): TimerHandle {
    return this.clock.setTimeout(fn, ms);
  }

  private clearStandbyTimers(): void {
    for (const t of this.standbyTimers) this.clock.clearTimeout(t);
    this.standbyTimers = [];
  }

  /**
   * The standby reboots on `image`: DISABLED while booting, STANDBY COLD, bulk sync, then
   * STANDBY HOT; it stops at STANDBY COLD (RPR) when its image is incompatible with the
   * active's, or when the standby-never-hot fault holds it there on the target image.
   */
  private reloadStandby(image: string): void {
    this.clearStandbyTimers();
    const rp = this.standby;
    const now = this.clock.now();
    rp.image = image;
    rp.rf = 'DISABLED';
    rp.bootedAt = now;
    rp.stateSince = now;
    // A rebooted RP's counter starts again; booting logs a few dozen messages of its own.
    rp.logSeq = this.bootLogCount(rp.slot);
    const total = this.scaled(this.platform.reloadMs) * (this.faults.has('slow-standby-boot') ? 4 : 1);
    const set = (state: RfState) => {
      if (this.standby !== rp || rp.image !== image) return;
      rp.rf = state;
      rp.stateSince = this.clock.now();
    };
    const stuck =
      this.compat(this.active.image, image) === 'I' ||
      (this.faults.has('standby-never-hot') && image === this.issu.target);
    this.standbyTimers.push(
      this.at(total * 0.7, () => {
        set('STANDBY COLD');
        // Wording of a Catalyst 9300 capture ("*Jun 10 11:40:03.060: %REDUNDANCY-5-PEER_MONITOR_EVENT:
        // Active detected a standby insertion (raw-event=PEER_FOUND(4))").
        this.syslog(
          5,
          'REDUNDANCY-5-PEER_MONITOR_EVENT',
          'Active detected a standby insertion (raw-event=PEER_FOUND(4))',
        );
        if (stuck)
          this.syslog(
            4,
            'RF-4-RF_NOT_HOT',
            `Standby slot ${rp.slot} cannot progress beyond STANDBY COLD (operating mode ${this.operatingMode})`,
          );
      }),
    );
    if (stuck) return;
    this.standbyTimers.push(
      this.at(total * 0.9, () => set('STANDBY COLD-BULK')),
      this.at(total, () => {
        set('STANDBY HOT');
        // The bulk configuration sync to the standby ends its way to STANDBY HOT; IOS logs it just
        // before the terminal state, as in the captures of a Catalyst 6807 VSS ISSU (blog post
        // "Cisco 6807 VSS ISSU Upgrade", 2014: "000151: Aug 6 16:32:58.030 PST:
        // %HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED: Bulk Sync succeeded") and of IOS-XE 16.3.6
        // ("%HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED: Bulk Sync succeeded" then
        // "%RF-5-RF_TERMINAL_STATE: Terminal state reached for (SSO)").
        this.syslog(6, 'HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED', 'Bulk Sync succeeded');
        this.syslog(5, 'RF-5-RF_TERMINAL_STATE', 'Terminal state reached for (SSO)');
        if (this.pendingRollback) {
          this.pendingRollback = false;
          this.rollbackExpired();
        }
      }),
    );
  }

  /**
   * Switches over to the standby: every session on the management address drops, the address
   * is unreachable for a moment, the old active reloads on `oldActiveImage`.
   */
  private switchover(reason: string, oldActiveImage = this.active.image): void {
    const now = this.clock.now();
    const oldActive = this.active;
    const rpr = this.standby.rf !== 'STANDBY HOT';
    this.events.dropSessions('switchover');
    this.setReachable(false);
    this.activeSlot = this.standby.slot;
    this.active.rf = 'ACTIVE';
    this.active.stateSince = now;
    this.switchovers++;
    this.lastSwitchoverReason = reason;
    // An RPR switchover restarts the line cards: far more loss than SSO's seconds.
    const lossMs = rpr ? 45_000 + this.lossWindowMs * 10 : this.lossWindowMs;
    this.lastSwitchover = { at: now, lossMs, kind: rpr ? 'RPR' : 'SSO', reason };
    this.syslog(3, 'REDUNDANCY-3-SWITCHOVER', `RP switchover (${reason}); slot ${this.activeSlot} is now active`);
    oldActive.boot = oldActive.boot.length > 0 ? oldActive.boot : [oldActiveImage];
    this.reloadStandby(oldActiveImage);
    if (!this.faults.has('unreachable-until-rollback') || this.issu.state !== 'Run Version') {
      this.clock.clearTimeout(this.reachabilityTimer);
      this.reachabilityTimer = this.at(this.scaled(this.platform.switchoverGapMs), () => this.setReachable(true));
    }
  }

  private setReachable(reachable: boolean): void {
    if (reachable) this.clock.clearTimeout(this.reachabilityTimer);
    if (this.reachable === reachable) return;
    this.reachable = reachable;
    this.events.reachability(reachable);
  }

  /**
   * %SYS-5-RELOAD, logged by the active RP as it goes down. The wording of a reload from the CLI
   * is IOS's ("%SYS-5-RELOAD: Reload requested by console. Reload Reason: Reload Command.", and
   * "Reload requested by netadm on vty0 (10.10.99.50). Reload Reason: Reload Command." in public
   * captures); the reasons of the ISSU and redundancy reloads are this model's words, no capture
   * of those was found.
   */
  private logReload(by: string, reason: string): void {
    this.syslog(5, 'SYS-5-RELOAD', `Reload requested by ${by}. Reload Reason: ${reason}.`);
  }

  /** How many messages an RP logs while it boots, before the first one anyone sees. */
  private bootLogCount(slot: string): number {
    return 20 + stableNumber(`boot:${this.hostname}:${slot}`, 25);
  }

  /** A message from the active RP, numbered by its own counter (`service sequence-numbers`). */
  private syslog(severity: number, mnemonic: string, text: string): void {
    const sequence = ++this.active.logSeq;
    this.events.syslog({
      severity,
      appName: mnemonic.split('-')[0]!,
      msgId: mnemonic,
      text: `%${mnemonic}: ${text}`,
      sequence,
    });
  }

  /** Cancels every timer (lab shutdown or device removal). */
  dispose(): void {
    this.clearStandbyTimers();
    this.clock.clearTimeout(this.rollbackTimer);
    this.clock.clearTimeout(this.reachabilityTimer);
  }
}

/** 2700000 ms → "45:00" (minutes may exceed 59, as IOS prints them). */
export function formatMinSec(ms: number): string {
  const total = Math.round(ms / 1000);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}
