// Longer than 300 lines: the RE states, the in-service upgrade's phases and the recovery share one model
// whose invariants (which RE runs what, what is pending) must stay in one place.
// A dual-RE Juniper MX chassis (seed 001). `request system software in-service-upgrade`
// validates the package, upgrades and reboots the backup RE, waits for GRES, upgrades the
// FRUs and switches mastership; the old master stays on the old code (with the new package
// pending) until it is rebooted, unless the upgrade was started with `reboot`.
// Pure model: time from the injected clock, effects as events, progress lines to a listener.
import { compatibility, corruptDigests, findImage, imagesOf, isNewer, type LabImage } from '../catalog.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import type { ChassisEvents, ChassisOptions } from '../events.ts';
import type { FaultName } from '../faults.ts';
import { stableNumber } from '../logging.ts';
import { degrade, generateNetwork, type NetworkState } from '../network.ts';

export type ReState = 'Master' | 'Backup' | 'Rebooting';

export interface Re {
  slot: 0 | 1;
  version: string;
  /** A package installed but not yet booted ("will complete installation upon reboot"). */
  pending: string | null;
  /** The release before the current one, for `request system software rollback`. */
  previous: string | null;
  state: ReState;
  bootedAt: number;
  stateSince: number;
  lastRebootReason: string;
}

export interface TmpFile {
  name: string;
  size: number;
  mtime: number;
}

export interface Switchover {
  at: number;
  lossMs: number;
  reason: string;
}

/** A running in-service upgrade; lines go to whoever listens (the session that started it). */
export interface IssuRun {
  package: string;
  reboot: boolean;
  lines: string[];
  done: boolean;
  result: 'running' | 'switched-over' | 'aborted';
  onLine: ((line: string) => void) | null;
  onDone: (() => void) | null;
}

export const PREREQUISITES = [
  { statement: 'set chassis redundancy graceful-switchover', label: 'graceful-switchover', path: 'chassis redundancy' },
  { statement: 'set routing-options nonstop-routing', label: 'nonstop-routing', path: 'routing-options' },
  { statement: 'set system commit synchronize', label: 'commit synchronize', path: 'system commit' },
] as const;

export interface JunosChassisOptions extends ChassisOptions {
  /** Which of the three ISSU prerequisites are configured at start (default: all). */
  prerequisites?: boolean;
}

/** One step of the upgrade: its delay after the previous one, and what it does; 'stop' ends the run of steps. */
type Step = [delayMs: number, action: () => 'stop' | undefined];

const BASE = {
  backupRebootMs: 10 * 60_000,
  fruUpgradeMs: 10 * 60_000,
  switchoverGapMs: 20_000,
  /** How long the ISSU waits for a backup RE that does not come back before giving up. */
  backupTimeoutMs: 60 * 60_000,
};

export class JunosChassis {
  readonly hostname: string;
  readonly model = 'mx480';
  readonly res: [Re, Re];
  masterSlot: 0 | 1 = 0;
  /** Committed configuration as `set` statements. */
  readonly config = new Set<string>();
  /** The candidate configuration of configuration mode. */
  candidate: Set<string>;
  readonly tmp = new Map<string, TmpFile>();
  systemBootedAt: number;
  reachable = true;
  lastSwitchover: Switchover | null = null;
  lossWindowMs: number;
  issu: IssuRun | null = null;
  readonly net: NetworkState;
  readonly faults = new Set<FaultName>();
  readonly varBytes = 9_556_302_848;

  private readonly clock: Clock;
  private readonly timeScale: number;
  private readonly events: ChassisEvents;
  private timers: TimerHandle[] = [];
  private reachabilityTimer: TimerHandle | undefined;

  constructor(options: JunosChassisOptions) {
    this.hostname = options.hostname;
    this.clock = options.clock;
    this.timeScale = options.timeScale;
    this.events = options.events;
    this.lossWindowMs = options.lossWindowMs;
    const images = imagesOf('mx');
    const start = (options.version && findImage('mx', options.version)) || images[0]!;
    const now = this.clock.now();
    this.systemBootedAt = now - 5 * 86_400_000;
    const re = (slot: 0 | 1, state: ReState): Re => ({
      slot,
      version: start.version,
      pending: null,
      previous: null,
      state,
      bootedAt: this.systemBootedAt + slot * 60_000,
      stateSince: this.systemBootedAt + slot * 60_000,
      lastRebootReason: 'Router rebooted after a normal shutdown.',
    });
    this.res = [re(0, 'Master'), re(1, 'Backup')];
    for (const img of images) {
      if (isNewer('mx', img.version, start.version))
        this.tmp.set(img.fileName, {
          name: img.fileName,
          size: img.sizeBytes,
          mtime: Date.parse(`${img.releaseDate}T12:00:00Z`),
        });
    }
    for (const s of [
      `set system host-name ${this.hostname}`,
      'set system services ssh',
      'set system syslog host 127.0.0.1 any notice',
      `set interfaces lo0 unit 0 family inet address ${'10.255.0.1'}/32`,
      'set protocols bgp group ebgp type external',
    ]) {
      this.config.add(s);
    }
    if (options.prerequisites !== false) for (const p of PREREQUISITES) this.config.add(p.statement);
    this.candidate = new Set(this.config);
    this.net = generateNetwork(options.hostname, 'junos', now);
    this.setFaults(options.faults ?? []);
  }

  get master(): Re {
    return this.res[this.masterSlot];
  }

  get backup(): Re {
    return this.res[this.masterSlot === 0 ? 1 : 0];
  }

  image(fileOrVersion: string): LabImage | undefined {
    return findImage('mx', fileOrVersion);
  }

  hasStatement(statement: string): boolean {
    return this.config.has(statement);
  }

  missingPrerequisites(): (typeof PREREQUISITES)[number][] {
    return PREREQUISITES.filter((p) => !this.config.has(p.statement));
  }

  digests(fileName: string): { md5: string; sha256: string } | undefined {
    const img = this.image(fileName);
    if (!img || !this.tmp.has(fileName)) return undefined;
    return this.faults.has('image-corrupt') ? corruptDigests(fileName) : { md5: img.md5, sha256: img.sha256 };
  }

  varUsedBytes(): number {
    if (this.faults.has('disk-full')) return this.varBytes - 12 * 1024 * 1024;
    return 3_435_973_837 + [...this.tmp.values()].reduce((s, f) => s + f.size, 0);
  }

  scaled(ms: number): number {
    return ms / this.timeScale;
  }

  setFaults(faults: Iterable<FaultName>): void {
    this.faults.clear();
    for (const f of faults) this.faults.add(f);
    for (const img of imagesOf('mx')) {
      const wanted = isNewer('mx', img.version, this.master.version) && !this.faults.has('disk-full');
      if (wanted && !this.tmp.has(img.fileName))
        this.tmp.set(img.fileName, {
          name: img.fileName,
          size: img.sizeBytes,
          mtime: Date.parse(`${img.releaseDate}T12:00:00Z`),
        });
      if (!wanted && this.faults.has('disk-full')) this.tmp.delete(img.fileName);
    }
  }

  // ---- configuration -----------------------------------------------------------------------

  /** Commits the candidate; with synchronize (or `system commit synchronize`) on both REs. */
  commit(synchronize: boolean): string[] {
    const sync = synchronize || this.candidate.has('set system commit synchronize');
    this.config.clear();
    for (const s of this.candidate) this.config.add(s);
    if (!sync) return ['commit complete'];
    const other = `re${this.backup.slot}`;
    const self = `re${this.master.slot}`;
    if (this.backup.state === 'Rebooting')
      return [
        `${self}: `,
        'configuration check succeeds',
        `error: ${other} is not responding; commit synchronize failed on ${other}`,
        `${self}: `,
        'commit complete',
      ];
    return [
      `${self}: `,
      'configuration check succeeds',
      `${other}: `,
      'commit complete',
      `${self}: `,
      'commit complete',
    ];
  }

  // ---- in-service software upgrade ---------------------------------------------------------

  /** Checks that refuse the upgrade outright; empty when it may start. */
  issuRefusal(packagePath: string): string[] {
    if (this.issu && !this.issu.done) return ['error: another in-service software upgrade is in progress'];
    const missing = this.missingPrerequisites();
    if (missing.length > 0) {
      return [
        ...missing.map((m) => `error: ISSU requires ${m.label}; configure "${m.statement.replace(/^set /, '')}"`),
        'error: ISSU Aborted!',
      ];
    }
    if (this.backup.state !== 'Backup')
      return [`error: Backup RE (re${this.backup.slot}) is not ready (${this.backup.state.toLowerCase()})`];
    if (this.backup.version !== this.master.version) {
      return [
        `error: Backup RE runs ${this.backup.version} but the master runs ${this.master.version}; both must run the same release`,
      ];
    }
    const file = packagePath.replace(/^.*\//, '');
    if (!this.tmp.has(file)) return [`error: ${packagePath}: No such file or directory`];
    const img = this.image(file);
    if (!img) return [`error: ${packagePath} is not a valid Junos package`];
    if (img.version === this.master.version) return [`error: ${img.version} is already running`];
    return [];
  }

  startIssu(packagePath: string, reboot: boolean): IssuRun {
    const file = packagePath.replace(/^.*\//, '');
    const target = this.image(file)!;
    const from = this.master.version;
    const run: IssuRun = {
      package: packagePath,
      reboot,
      lines: [],
      done: false,
      result: 'running',
      onLine: null,
      onDone: null,
    };
    this.issu = run;
    const say = (...lines: string[]): undefined => {
      for (const l of lines) {
        run.lines.push(l);
        run.onLine?.(l);
      }
    };
    const finish = (result: IssuRun['result']) => {
      run.done = true;
      run.result = result;
      run.onDone?.();
    };
    const abort = (...lines: string[]) => {
      say(...lines, 'ERROR: ISSU Aborted!');
      this.syslog(3, 'CHASSISD_ISSU_ABORT', `ISSU to ${target.version} aborted`);
      finish('aborted');
    };
    const from_ = from.replace(/\./g, '_').replace(/R.*$/, '_0');
    const steps: Step[] = [
      [0, () => say('Chassis ISSU Check Done')],
      [3_000, () => say('ISSU: Validating Image')],
      [
        50_000,
        () => {
          say('Checking compatibility with configuration');
          if (this.faults.has('incompatible') || compatibility('mx', from, target.version) === 'I') {
            abort(`error: ISSU is not supported from ${from} to ${target.version}: the releases are incompatible`);
            return 'stop';
          }
        },
      ],
      [20_000, () => say('Initializing...')],
      [10_000, () => say(`Using jbase-${from}`, 'vn_read_compressed_block: invalid block index 550')],
      [
        5_000,
        () =>
          say(
            `Verified manifest signed by PackageProduction_${from_}`,
            `Verified jbase-${from} signed by PackageProduction_${from_}`,
          ),
      ],
      [
        4_000,
        () => {
          say(`Using ${packagePath}`);
          if (this.faults.has('image-corrupt')) {
            abort(`ERROR: ${packagePath}: signature verification failed (the package is corrupt)`);
            return 'stop';
          }
          if (this.faults.has('disk-full')) {
            abort(`ERROR: Not enough space in /var to unpack ${file}`);
            return 'stop';
          }
        },
      ],
      [
        30_000,
        () =>
          say(
            `Verified manifest signed by PackageProduction_${target.version.replace(/\./g, '_').replace(/R.*$/, '_0')}`,
          ),
      ],
      [60_000, () => say(`Saving package file in /var/sw/pkg/${file} ...`)],
      [40_000, () => say('Saving state for rollback ...')],
      [30_000, () => say('Backup upgrade done', 'Rebooting Backup RE')],
      [
        2_000,
        () => {
          this.rebootRe(this.backup, target.version, 'Router rebooted after ISSU backup upgrade.');
          return say('', `Rebooting re${this.backup.slot}`);
        },
      ],
      [5_000, () => say('ISSU: Backup RE Prepare Done')],
      [
        1_000,
        () => {
          say('Waiting for Backup RE reboot');
          this.waitForBackup(
            target.version,
            () => this.continueIssu(run, say, finish, target, reboot),
            () => {
              abort(`ERROR: Backup RE (re${this.backup.slot}) did not come back on ${target.version}`);
              this.rebootRe(this.backup, from, 'Router rebooted after an aborted ISSU.');
            },
          );
          return 'stop';
        },
      ],
    ];
    this.runSteps(steps);
    return run;
  }

  private continueIssu(
    run: IssuRun,
    say: (...l: string[]) => undefined,
    finish: (r: IssuRun['result']) => void,
    target: LabImage,
    reboot: boolean,
  ): void {
    const steps: Step[] = [
      [60_000, () => say('GRES operational')],
      [2_000, () => say('Initiating Chassis In-Service-Upgrade')],
      [5_000, () => say('Chassis ISSU Started')],
      [2_000, () => say('ISSU: Preparing Daemons')],
      [60_000, () => say('ISSU: Daemons Ready for ISSU')],
      [
        20_000,
        () => {
          this.syslog(5, 'CHASSISD_ISSU_FRU_UPGRADE', 'FRU upgrade started');
          return say('ISSU: Starting Upgrade for FRUs');
        },
      ],
      [BASE.fruUpgradeMs, () => say('ISSU: Preparing for Switchover')],
      [
        30_000,
        () => {
          say('ISSU: Ready for Switchover');
          const oldMaster = this.master;
          oldMaster.pending = target.version;
          this.switchMastership('ISSU');
          // The new master's console shows these (seed 001); the seed calls them normal. They are
          // the line cards' own messages, relayed by the master under the FPC's name, untagged.
          for (const fpc of ['fpc0:22528', 'fpc1:4096']) {
            const name = fpc.split(':')[0]!;
            this.events.syslog({
              severity: 2,
              appName: name,
              msgId: 'RDP',
              text: `${name} RDP: Remote side reset connection: rdp.(${fpc}).(serverRouter:ppm)`,
            });
          }
          this.syslog(
            5,
            'CHASSISD_ISSU_COMPLETE',
            `ISSU completed: re${this.master.slot} is master on ${target.version}`,
          );
          if (this.faults.has('post-check-failure')) degrade(this.net, true, this.clock.now());
          finish('switched-over');
          if (reboot) this.rebootRe(oldMaster, target.version, 'Router rebooted after ISSU (reboot option).');
          return 'stop';
        },
      ],
    ];
    this.runSteps(steps);
  }

  private runSteps(steps: Step[]): void {
    const [first, ...rest] = steps;
    if (!first) return;
    const [delay, fn] = first;
    this.timers.push(
      this.clock.setTimeout(() => {
        if (fn() === 'stop') return;
        this.runSteps(rest);
      }, this.scaled(delay)),
    );
  }

  private waitForBackup(version: string, onUp: () => void, onTimeout: () => void): void {
    const deadline = this.clock.now() + this.scaled(BASE.backupTimeoutMs);
    const poll = () => {
      if (this.backup.state === 'Backup' && this.backup.version === version) return onUp();
      if (this.clock.now() >= deadline) return onTimeout();
      this.timers.push(this.clock.setTimeout(poll, this.scaled(15_000)));
    };
    poll();
  }

  // ---- reboots and mastership --------------------------------------------------------------

  /**
   * Reboots one RE onto `version` (or its pending package). The backup-never-comes-back fault
   * (standby-never-hot) keeps a backup booting an upgrade down.
   */
  rebootRe(re: Re, version: string | null, reason: string): void {
    const now = this.clock.now();
    const target = version ?? re.pending ?? re.version;
    re.state = 'Rebooting';
    re.stateSince = now;
    re.lastRebootReason = reason;
    this.syslog(4, 'CHASSISD_RE_REBOOT', `re${re.slot} rebooting (${reason})`);
    const stuck = this.faults.has('standby-never-hot') && target !== re.version && re !== this.master;
    if (stuck) return;
    const duration = this.scaled(BASE.backupRebootMs) * (this.faults.has('slow-standby-boot') ? 4 : 1);
    this.timers.push(
      this.clock.setTimeout(() => {
        if (target !== re.version) re.previous = re.version;
        re.version = target;
        re.pending = null;
        re.state = re === this.master ? 'Master' : 'Backup';
        re.bootedAt = this.clock.now();
        re.stateSince = re.bootedAt;
        this.syslog(5, 'CHASSISD_RE_ONLINE', `re${re.slot} online as ${re.state.toLowerCase()} running ${re.version}`);
      }, duration),
    );
  }

  /**
   * `request system software rollback [other-routing-engine]`: on an RE with a package pending
   * (the old master after an ISSU without `reboot`) the pending package is dropped and the RE
   * stays on its release; otherwise the previous release becomes active at the next reboot.
   * Output in the shape Junos prints for a software change that needs a reboot.
   */
  softwareRollback(re: Re): string[] {
    if (this.issu && !this.issu.done) return ['error: an in-service software upgrade is in progress'];
    if (!re.previous && !re.pending) return [`error: re${re.slot}: no previous software to roll back to`];
    const head = re === this.master ? [] : [`re${re.slot}:`, '-'.repeat(78)];
    if (re.pending) {
      const dropped = re.pending;
      re.pending = null;
      return [
        ...head,
        `Removing pending package jinstall-${dropped}`,
        `JUNOS ${re.version} will stay active at next reboot`,
      ];
    }
    re.pending = re.previous;
    return [
      ...head,
      'Restoring boot file package',
      `JUNOS ${re.previous} will become active at next reboot`,
      'WARNING: A reboot is required to load this software correctly',
      "WARNING:     Use the 'request system reboot' command",
      'WARNING:         when software installation is complete',
    ];
  }

  /** mgd's record of an operational command that changes the device (`UI_CMDLINE_READ_LINE`). */
  logCommand(user: string, line: string): void {
    this.syslog(6, 'UI_CMDLINE_READ_LINE', `User '${user}', command '${line} '`, {
      params: { username: user, command: `${line} ` },
    });
  }

  /** What `show chassis in-service-upgrade` says about a running upgrade. */
  issuStatus(): string {
    if (!this.issu) return 'Idle';
    if (!this.issu.done) return `In progress (${this.issu.lines.filter((l) => l.trim()).at(-1) ?? 'starting'})`;
    return this.issu.result === 'aborted' ? 'Idle (last upgrade aborted)' : 'Idle (last upgrade completed)';
  }

  /** Whether `request chassis routing-engine master switch` may proceed; the reason if not. */
  mastershipSwitchRefusal(): string | null {
    if (this.issu && !this.issu.done) return 'error: an in-service software upgrade is in progress';
    if (this.backup.state !== 'Backup')
      return `error: the other routing engine (re${this.backup.slot}) is not ready (${this.backup.state.toLowerCase()})`;
    return null;
  }

  /** Moves mastership to the backup: sessions on the master-only address drop, briefly unreachable. */
  switchMastership(reason: string): void {
    const now = this.clock.now();
    const old = this.master;
    const gres = this.config.has(PREREQUISITES[0].statement);
    this.masterSlot = this.backup.slot;
    this.master.state = 'Master';
    this.master.stateSince = now;
    old.state = 'Backup';
    old.stateSince = now;
    // The releasing RE's chassisd says so first; the wording is Junos's (System Log Messages
    // Reference, CHASSISD_RELEASE_MASTERSHIP "Release mastership notification", as encoded in the
    // Juniper parsers of elastic/beats' x-pack/filebeat/module/juniper).
    this.syslog(6, 'CHASSISD_RELEASE_MASTERSHIP', 'Release mastership notification', { re: old });
    this.events.dropSessions('mastership switch');
    this.setReachable(false);
    this.clock.clearTimeout(this.reachabilityTimer);
    this.reachabilityTimer = this.clock.setTimeout(() => this.setReachable(true), this.scaled(BASE.switchoverGapMs));
    // Without GRES the line cards restart with the new master.
    this.lastSwitchover = { at: now, lossMs: gres ? this.lossWindowMs : 60_000 + this.lossWindowMs, reason };
    this.syslog(4, 'CHASSISD_MASTERSHIP_SWITCH', `re${this.master.slot} is now master (${reason})`);
  }

  /** `request system reboot` on the master: mastership moves (GRES) and the old master reboots. */
  rebootMaster(): void {
    const old = this.master;
    if (this.backup.state === 'Backup') this.switchMastership('master reboot');
    this.rebootRe(old, null, 'Router rebooted after a normal shutdown.');
  }

  private setReachable(reachable: boolean): void {
    if (this.reachable === reachable) return;
    this.reachable = reachable;
    this.events.reachability(reachable);
  }

  /**
   * A daemon's tagged message, from the master RE unless `re` says otherwise. Each RE runs its
   * own daemons, so the process id changes with mastership (and with a reboot of that RE).
   */
  private syslog(
    severity: number,
    tag: string,
    text: string,
    options: { re?: Re; params?: Record<string, string> } = {},
  ): void {
    const re = options.re ?? this.master;
    const appName = tag.startsWith('UI_') ? 'mgd' : 'chassisd';
    // mgd runs one process per CLI session; chassisd one per RE boot.
    const procId = String(1200 + stableNumber(`${appName}:${this.hostname}:re${re.slot}:${re.bootedAt}`, 60_000));
    this.events.syslog({
      severity,
      appName,
      msgId: tag,
      text,
      procId,
      ...(options.params && { params: options.params }),
    });
  }

  dispose(): void {
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers = [];
    this.clock.clearTimeout(this.reachabilityTimer);
  }
}
