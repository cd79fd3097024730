// One simulated device as the lab hosts it: a chassis model, its credentials and management
// address, the CLI sessions open on it, and counters of every command it received.
import { CiscoChassis } from './cisco/chassis.ts';
import { CiscoCli } from './cisco/cli.ts';
import { CISCO_PLATFORMS, type CiscoFamily } from './cisco/platforms.ts';
import type { PlatformFamily, VendorId } from './catalog.ts';
import type { CliSession, Terminal } from './cli/session.ts';
import type { Clock } from './clock.ts';
import type { SyslogEvent } from './events.ts';
import type { FaultName } from './faults.ts';
import { JunosChassis } from './junos/chassis.ts';
import { JunosCli } from './junos/cli.ts';
import { defaultLossWindowMs } from './network.ts';

export interface DeviceSpec {
  id: string;
  hostname: string;
  family: PlatformFamily;
  address: string;
  port: number;
  username: string;
  password: string;
  /** Cisco `enable` secret; null: `enable` needs no password. */
  enableSecret: string | null;
  /** Starting software version (default: the family's oldest). */
  version?: string;
  faults?: FaultName[];
  /** Junos: configure graceful-switchover, nonstop-routing and commit synchronize at start. */
  issuPrerequisites?: boolean;
  /** Traffic lost at a switchover, in ms (default: per device, under 2 s). */
  lossWindowMs?: number;
}

export interface DeviceListener {
  syslog(device: SimDevice, event: SyslogEvent): void;
  /** The device wants every SSH connection to its management address gone. */
  drop(device: SimDevice, reason: string): void;
  reachability(device: SimDevice, reachable: boolean): void;
}

export interface CommandRecord {
  at: number;
  line: string;
  /** Asked for confirmation and did not get it: it never ran (and is not counted). */
  cancelled?: true;
}

const MAX_LOG = 2000;

/** The vendor (and so the OS) of a platform family. */
export function vendorOf(family: PlatformFamily): VendorId {
  return family === 'mx' ? 'JUNOS' : CISCO_PLATFORMS[family].vendor;
}

export class SimDevice {
  readonly spec: DeviceSpec;
  readonly vendor: VendorId;
  readonly model: string;
  chassis!: CiscoChassis | JunosChassis;
  readonly commandCounts = new Map<string, number>();
  readonly commandLog: CommandRecord[] = [];
  private readonly sessions = new Set<CliSession>();
  /** The vty line each SSH session holds (IOS numbers them from 0, lowest free first). */
  private readonly vtys = new Map<CliSession, number>();
  private readonly clock: Clock;
  private readonly timeScale: number;
  private readonly listener: DeviceListener;

  constructor(spec: DeviceSpec, options: { clock: Clock; timeScale: number; listener: DeviceListener }) {
    this.spec = spec;
    this.clock = options.clock;
    this.timeScale = options.timeScale;
    this.listener = options.listener;
    this.vendor = vendorOf(spec.family);
    this.model = spec.family === 'mx' ? 'MX480' : CISCO_PLATFORMS[spec.family].model;
    this.build();
  }

  /** (Re)creates the chassis in its initial state, keeping faults and counters. */
  private build(): void {
    const events = {
      syslog: (e: SyslogEvent) => this.listener.syslog(this, e),
      dropSessions: (reason: string) => this.dropSessions(reason),
      reachability: (up: boolean) => this.listener.reachability(this, up),
    };
    const common = {
      hostname: this.spec.hostname,
      clock: this.clock,
      timeScale: this.timeScale,
      lossWindowMs: this.spec.lossWindowMs ?? defaultLossWindowMs(this.spec.hostname, this.spec.family),
      events,
      faults: this.spec.faults ?? [],
      ...(this.spec.version && { version: this.spec.version }),
    };
    this.chassis =
      this.spec.family === 'mx'
        ? new JunosChassis({ ...common, prerequisites: this.spec.issuPrerequisites ?? true })
        : new CiscoChassis({ ...common, platform: CISCO_PLATFORMS[this.spec.family as CiscoFamily] });
  }

  get reachable(): boolean {
    return this.chassis.reachable;
  }

  get faults(): FaultName[] {
    return [...this.chassis.faults];
  }

  setFaults(faults: FaultName[]): void {
    this.spec.faults = faults;
    this.chassis.setFaults(faults);
  }

  /** Back to the initial state: software, ISSU state, sessions; counters are cleared too. */
  reset(): void {
    this.dropSessions('reset');
    this.chassis.dispose();
    this.commandCounts.clear();
    this.commandLog.length = 0;
    this.build();
    // The new chassis is up: whoever waited on an unreachable one may connect again.
    this.listener.reachability(this, this.chassis.reachable);
  }

  checkPassword(username: string, password: string): boolean {
    return username === this.spec.username && password === this.spec.password;
  }

  /**
   * A CLI on a channel: interactive (a shell with a PTY) or one command (an exec request).
   * `peerAddress`, the SSH client's address, names the session as IOS does (`admin on vty0
   * (10.0.0.5)`) in the messages it causes; without it the session counts as the console.
   */
  openSession(term: Terminal, options: { interactive: boolean; exec?: string; peerAddress?: string }): CliSession {
    const onCommand = (line: string) => this.record(line);
    const onCancelled = (line: string) => this.cancel(line);
    const session =
      this.chassis instanceof JunosChassis
        ? new JunosCli(term, {
            interactive: options.interactive,
            chassis: this.chassis,
            clock: this.clock,
            username: this.spec.username,
            onCommand,
            onCancelled,
          })
        : new CiscoCli(term, {
            interactive: options.interactive,
            chassis: this.chassis,
            clock: this.clock,
            enableSecret: this.spec.enableSecret,
            onCommand,
            onCancelled,
            ...(options.peerAddress && {
              requester: `${this.spec.username} on vty${this.freeVty()} (${options.peerAddress})`,
            }),
          });
    this.sessions.add(session);
    if (session instanceof CiscoCli && options.peerAddress) this.vtys.set(session, this.freeVty());
    const done = () => {
      this.sessions.delete(session);
      this.vtys.delete(session);
    };
    if (options.exec !== undefined) {
      if (session instanceof CiscoCli) session.startPrivileged();
      void session.runOnce(options.exec).finally(done);
    } else {
      void session.run().finally(done);
    }
    return session;
  }

  private freeVty(): number {
    const used = new Set(this.vtys.values());
    let n = 0;
    while (used.has(n)) n++;
    return n;
  }

  get openSessions(): number {
    return this.sessions.size;
  }

  private record(line: string): void {
    this.commandCounts.set(line, (this.commandCounts.get(line) ?? 0) + 1);
    this.commandLog.push({ at: this.clock.now(), line });
    if (this.commandLog.length > MAX_LOG) this.commandLog.splice(0, this.commandLog.length - MAX_LOG);
  }

  /** A command cancelled at its confirmation never ran: the counters take it back; the log keeps it, marked. */
  private cancel(line: string): void {
    const n = (this.commandCounts.get(line) ?? 0) - 1;
    if (n > 0) this.commandCounts.set(line, n);
    else this.commandCounts.delete(line);
    this.commandLog.push({ at: this.clock.now(), line, cancelled: true });
  }

  private dropSessions(reason: string): void {
    for (const s of [...this.sessions]) s.close(255);
    this.sessions.clear();
    this.vtys.clear();
    this.listener.drop(this, reason);
  }

  dispose(): void {
    this.dropSessions('shutdown');
    this.chassis.dispose();
  }

  /** A summary for the lab API and tests. */
  status() {
    const now = this.clock.now();
    const c = this.chassis;
    const base = {
      id: this.spec.id,
      hostname: this.spec.hostname,
      vendor: this.vendor,
      platform: this.model,
      family: this.spec.family,
      address: this.spec.address,
      port: this.spec.port,
      reachable: c.reachable,
      faults: this.faults,
      openSessions: this.sessions.size,
      lastSwitchover: c.lastSwitchover,
    };
    if (c instanceof JunosChassis) {
      return {
        ...base,
        routingEngines: c.res.map((re) => ({
          slot: `re${re.slot}`,
          state: re.state,
          version: re.version,
          pending: re.pending,
        })),
        issu: c.issu
          ? { package: c.issu.package, done: c.issu.done, result: c.issu.result, lastLine: c.issu.lines.at(-1) ?? null }
          : null,
        prerequisitesMissing: c.missingPrerequisites().map((p) => p.label),
      };
    }
    const remaining = c.rollbackRemainingMs();
    return {
      ...base,
      activeSlot: c.activeSlot,
      routeProcessors: Object.values(c.rps).map((rp) => ({
        slot: rp.slot,
        state: rp.rf,
        image: rp.image,
        version: c.versionOf(rp.image),
      })),
      issu: {
        state: c.issu.state,
        original: c.issu.original,
        target: c.issu.target,
        rollbackRemainingMs: remaining,
        rollbackDeadline: remaining === null ? null : new Date(now + remaining).toISOString(),
      },
      operatingMode: c.operatingMode,
    };
  }
}
