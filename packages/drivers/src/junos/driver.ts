// The Junos driver: one method per operation, each a command and its parser.
import { DeviceError } from '../errors.ts';
import type { CliSession, RunResult } from '../transport/session.ts';
import * as p from './parsers.ts';

const YES = { prompt: /\[yes,no\] \(no\)\s*$/, reply: 'yes' };
const JUNOS_ERROR = /^\s*error:|syntax error/im;

export interface IssuStreamResult {
  lines: string[];
  /** How it ended: mastership moved (session dropped after the switchover phase), refused or aborted, or dropped early. */
  outcome: 'switched-over' | 'aborted' | 'disconnected';
  /** The last progress phase the device announced (never 'aborted'): how far it got. */
  lastPhase: Exclude<p.IssuPhase, 'aborted'> | null;
  /** The device's error lines when it refused or aborted the upgrade. */
  errors: string[];
}

export class JunosDriver {
  constructor(readonly session: CliSession) {}

  private async show<T>(command: string, parse: (text: string) => T): Promise<T> {
    return parse(await this.session.run(command));
  }

  private async change(command: string, options: Parameters<CliSession['exec']>[1] = {}): Promise<RunResult> {
    const result = await this.session.exec(command, options);
    if (JUNOS_ERROR.test(result.output)) throw new DeviceError(command, result.output);
    return result;
  }

  versions() {
    return this.show('show version invoke-on all-routing-engines', (t) =>
      p.parseShowVersion(t, 'show version invoke-on all-routing-engines'),
    );
  }
  routingEngines() {
    return this.show('show chassis routing-engine', p.parseChassisRoutingEngine);
  }
  switchover() {
    return this.show('show system switchover', p.parseSystemSwitchover);
  }
  storage() {
    return this.show('show system storage', p.parseSystemStorage);
  }
  files(directory: string) {
    return this.show(`file list ${directory} detail`, p.parseFileList);
  }
  checksum(path: string, algorithm: 'md5' | 'sha-256' = 'md5') {
    return this.show(`file checksum ${algorithm} ${path}`, p.parseFileChecksum);
  }
  configuration(path: string) {
    return this.show(`show configuration ${path} | display set`, p.parseDisplaySet);
  }
  bgp() {
    return this.show('show bgp summary', p.parseBgpSummary);
  }
  interfaces() {
    return this.show('show interfaces terse', p.parseInterfacesTerse);
  }
  issuStatus() {
    return this.show('show chassis in-service-upgrade', p.parseChassisIssuStatus);
  }

  /**
   * `request system software in-service-upgrade`: streams the progress lines to `onLine` and
   * returns when the session drops at the switchover, or when the device refuses or aborts.
   */
  async inServiceUpgrade(
    packagePath: string,
    options: { reboot: boolean; timeoutMs: number; onLine?: (line: string) => void },
  ): Promise<IssuStreamResult> {
    const lines: string[] = [];
    const errors: string[] = [];
    let lastPhase: Exclude<p.IssuPhase, 'aborted'> | null = null;
    const result = await this.session.exec(
      `request system software in-service-upgrade ${packagePath}${options.reboot ? ' reboot' : ''}`,
      {
        timeoutMs: options.timeoutMs,
        allowDisconnect: true,
        onLine: (line) => {
          lines.push(line);
          const phase = p.issuPhaseOf(line);
          if (phase === 'aborted') errors.push(line.trim());
          else if (phase) lastPhase = phase;
          options.onLine?.(line);
        },
      },
    );
    const aborted = errors.length > 0 || JUNOS_ERROR.test(result.output);
    const outcome = aborted
      ? 'aborted'
      : result.disconnected && lastPhase === 'switchover'
        ? 'switched-over'
        : result.disconnected
          ? 'disconnected'
          : 'aborted';
    return { lines, outcome, lastPhase, errors };
  }

  async rebootOther(): Promise<string> {
    return (await this.change('request system reboot other-routing-engine', { answers: [YES] })).output;
  }

  /** Mastership moves to the other RE: the session ends with it. */
  masterSwitch(): Promise<RunResult> {
    return this.change('request chassis routing-engine master switch', {
      answers: [YES],
      expectDisconnectWithinMs: 15_000,
    });
  }

  /** Drops a package pending on this RE (or schedules the previous release when none is pending). */
  async softwareRollbackSelf(): Promise<string> {
    return (await this.change('request system software rollback')).output;
  }

  async softwareRollbackOther(): Promise<string> {
    return (await this.change('request system software rollback other-routing-engine')).output;
  }

  close(): void {
    this.session.close();
  }
}
