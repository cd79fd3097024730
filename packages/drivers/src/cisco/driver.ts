// The Cisco IOS / IOS-XE driver: one method per operation, each a command and its parser.
// Methods that change the device check the device's answer; the engine still judges the
// outcome from the device's state afterwards, never from a command having returned.
import { DeviceError } from '../errors.ts';
import type { CliSession, RunResult } from '../transport/session.ts';
import * as p from './parsers.ts';

const CONFIRM = { prompt: /\[confirm\]\s*$/, reply: '' };
/** How long a switchover may take to cut the session after the command returned. */
const SWITCHOVER_DROP_MS = 15_000;
/** Lines IOS prints when it refuses something. */
const IOS_ERROR =
  /^%(?!\s*(?:issu \w+ executed successfully|Rollback timer stopped))|^%Error|Invalid input detected|Incomplete command|Ambiguous command/im;

export class CiscoDriver {
  constructor(readonly session: CliSession) {}

  private async show<T>(command: string, parse: (text: string) => T): Promise<T> {
    return parse(await this.session.run(command));
  }

  /** Runs a configuration-changing command; an IOS error line makes it a DeviceError. */
  private async change(command: string, options: Parameters<CliSession['exec']>[1] = {}): Promise<RunResult> {
    const result = await this.session.exec(command, options);
    if (IOS_ERROR.test(result.output)) throw new DeviceError(command, result.output);
    return result;
  }

  version() {
    return this.show('show version', p.parseShowVersion);
  }
  redundancy() {
    return this.show('show redundancy', p.parseRedundancy);
  }
  redundancyStates() {
    return this.show('show redundancy states', p.parseRedundancyStates);
  }
  issuState() {
    return this.show('show issu state detail', (t) => p.parseIssuState(t));
  }
  rollbackTimer() {
    return this.show('show issu rollback-timer', p.parseRollbackTimer);
  }
  compMatrix() {
    return this.show('show issu comp-matrix stored', p.parseCompMatrixStored);
  }
  dir(filesystem: string) {
    return this.show(`dir ${filesystem}`, (t) => p.parseDir(t, `dir ${filesystem}`));
  }
  verify(path: string, algorithm: 'md5' | 'sha256' = 'md5') {
    return this.show(`verify /${algorithm} ${path}`, p.parseVerify);
  }
  interfaces() {
    return this.show('show ip interface brief', p.parseIpInterfaceBrief);
  }
  bgp() {
    return this.show('show ip bgp summary', p.parseIpBgpSummary);
  }
  nsf() {
    return this.show('show running-config | include ^router|nsf|graceful-restart', p.parseNsf);
  }

  async setRollbackTimer(seconds: number): Promise<void> {
    await this.change('configure terminal');
    try {
      await this.change(`configure issu set rollback-timer ${seconds}`);
    } finally {
      await this.session.run('end');
    }
  }

  async loadVersion(
    activeSlot: string,
    activeImage: string,
    standbySlot: string,
    standbyImage: string,
  ): Promise<string> {
    return (await this.change(`issu loadversion ${activeSlot} ${activeImage} ${standbySlot} ${standbyImage}`)).output;
  }

  /** Switches over: the session ends with it (disconnected: true). */
  runVersion(standbySlot: string, standbyImage: string): Promise<RunResult> {
    return this.change(`issu runversion ${standbySlot} ${standbyImage}`, {
      answers: [CONFIRM],
      expectDisconnectWithinMs: SWITCHOVER_DROP_MS,
    });
  }

  async acceptVersion(activeSlot: string, activeImage: string): Promise<string> {
    return (await this.change(`issu acceptversion ${activeSlot} ${activeImage}`)).output;
  }

  async commitVersion(standbySlot: string, standbyImage: string): Promise<string> {
    return (await this.change(`issu commitversion ${standbySlot} ${standbyImage}`)).output;
  }

  /** After runversion this switches back, and the session ends with it. */
  abortVersion(slot?: string, image?: string): Promise<RunResult> {
    const args = slot && image ? ` ${slot} ${image}` : '';
    // Before runversion the abort only reloads the standby and the session stays.
    return this.change(`issu abortversion${args}`, { answers: [CONFIRM], allowDisconnect: true });
  }

  // Fast Software Upgrade: boot variable, reload the peer, force the (disruptive) switchover.

  async setBootImage(image: string): Promise<void> {
    await this.change('configure terminal');
    try {
      await this.change('no boot system');
      await this.change(`boot system flash ${image}`);
    } finally {
      await this.session.run('end');
    }
    await this.change('write memory');
  }

  async reloadPeer(): Promise<void> {
    await this.change('redundancy reload peer', { answers: [CONFIRM] });
  }

  forceSwitchover(): Promise<RunResult> {
    return this.change('redundancy force-switchover', {
      answers: [CONFIRM],
      expectDisconnectWithinMs: SWITCHOVER_DROP_MS,
    });
  }

  close(): void {
    this.session.close();
  }
}
