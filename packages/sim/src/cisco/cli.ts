// The IOS command line of a simulated chassis: user EXEC (`>`), privileged EXEC (`#`) and
// global configuration (`(config)#`), abbreviations, `| include`-style filters, [confirm]
// prompts, and the errors IOS prints for bad input.
import type { Clock } from '../clock.ts';
import { match, pattern, tokenize, type CommandSpec } from '../cli/grammar.ts';
import { applyCiscoFilter } from '../cli/filters.ts';
import { CliSession, type SessionOptions, type Terminal } from '../cli/session.ts';
import type { CiscoChassis } from './chassis.ts';
import * as render from './render.ts';

type Mode = 'user' | 'enable' | 'config';

interface Ctx {
  cli: CiscoCli;
  ch: CiscoChassis;
  args: Record<string, string>;
  rest: string[];
  flags: Set<string>;
}

/** A handler returns the lines to print (filters apply), or undefined when it printed itself. */
type Handler = (ctx: Ctx) => Promise<string[] | undefined | 'exit'> | string[] | undefined | 'exit';

const USER: Mode[] = ['user', 'enable'];
const EXEC: Mode[] = ['enable'];
const CONF: Mode[] = ['config'];

const cmd = (text: string, modes: Mode[], run: Handler): CommandSpec<Handler> => ({
  pattern: pattern(text),
  modes,
  run,
});

export interface CiscoCliOptions extends SessionOptions {
  chassis: CiscoChassis;
  clock: Clock;
  /** `enable` asks for this; null lets `enable` through without a password. */
  enableSecret: string | null;
  /** Every command line the device receives, for the lab's counters. */
  onCommand(line: string): void;
  /** Who this session is, as IOS names the requester of a reload (`admin on vty0 (10.0.0.5)`); default `console`. */
  requester?: string;
}

export class CiscoCli extends CliSession {
  mode: Mode = 'user';
  private readonly ch: CiscoChassis;
  private readonly opts: CiscoCliOptions;

  constructor(term: Terminal, options: CiscoCliOptions) {
    super(term, options);
    this.ch = options.chassis;
    this.opts = options;
  }

  protected prompt(): string {
    const h = this.ch.hostname;
    return this.mode === 'user' ? `${h}>` : this.mode === 'enable' ? `${h}#` : `${h}(config)#`;
  }

  protected morePrompt(): string {
    return ' --More-- ';
  }

  protected override async greet(): Promise<void> {
    this.write('\r\n');
  }

  /** Exec requests (`ssh host "show version"`) run with privileges, as on an AAA-authorised box. */
  startPrivileged(): void {
    this.mode = 'enable';
  }

  protected async execute(raw: string): Promise<boolean> {
    const line = raw.trim();
    if (!line || line.startsWith('!')) return true;
    this.opts.onCommand(line);
    // IOS takes one filter; everything after its keyword is the regular expression, bars included.
    const bar = line.indexOf('|');
    const command = bar < 0 ? line : line.slice(0, bar);
    const filters = bar < 0 ? [] : [line.slice(bar + 1).trim()];
    const result = await this.dispatch(command, this.mode, raw.indexOf(command.trim()[0] ?? ''));
    if (result === 'exit') return false;
    if (result) {
      let lines = result;
      for (const f of filters) {
        const filtered = applyCiscoFilter(lines, f);
        if (filtered === null) {
          await this.print(['            ^', "% Invalid input detected at '^' marker."]);
          return true;
        }
        lines = filtered;
      }
      await this.print(lines);
    }
    return true;
  }

  private async dispatch(command: string, mode: Mode, offset: number): Promise<string[] | undefined | 'exit'> {
    const { tokens, offsets } = tokenize(command);
    const m = match(COMMANDS, mode, tokens);
    if (m.kind === 'ok') return m.spec.run({ cli: this, ch: this.ch, args: m.args, rest: m.rest, flags: m.flags });
    if (m.kind === 'incomplete') return ['% Incomplete command.', ''];
    if (m.kind === 'ambiguous') return [`% Ambiguous command:  "${command}"`];
    const caret = (this.options.interactive ? this.prompt().length : 0) + offset + (offsets[m.tokenIndex] ?? 0);
    return [`${' '.repeat(caret)}^`, "% Invalid input detected at '^' marker.", ''];
  }

  /** `do <command>` from configuration mode runs an EXEC command. */
  async runExec(rest: string[]): Promise<string[] | undefined | 'exit'> {
    return this.dispatch(rest.join(' '), 'enable', 0);
  }

  async confirm(question: string): Promise<boolean> {
    return this.confirmation(`${question}[confirm]`, (a) => a === '' || a === 'y' || a === 'yes');
  }

  async askSecret(prompt: string): Promise<string> {
    return this.readLine(prompt, { echo: false });
  }

  setPageLength(n: number): void {
    this.pageLength = n;
  }

  /** Runs `fn` after the current output reached the client (for switchovers that cut the session). */
  afterFlush(fn: () => void): void {
    this.opts.clock.setTimeout(fn, 50);
  }

  get enableSecret(): string | null {
    return this.opts.enableSecret;
  }

  get requester(): string {
    return this.opts.requester ?? 'console';
  }

  get now(): number {
    return this.opts.clock.now();
  }
}

function listDirectory(ch: CiscoChassis, rest: string[]): string[] {
  const fs = rest[0] ?? ch.platform.fs[0];
  return render.dir(ch, fs.replace(/\/.*$/, '')) ?? [`%Error opening ${fs} (No such device)`];
}

const outcome = (o: { ok: boolean; lines: string[] }, success: string[]): string[] =>
  o.ok ? [...o.lines, ...success] : o.lines;

const COMMANDS: CommandSpec<Handler>[] = [
  cmd('enable', USER, async ({ cli }) => {
    if (cli.mode !== 'user') return undefined;
    if (cli.enableSecret === null) {
      cli.mode = 'enable';
      return undefined;
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      if ((await cli.askSecret('Password: ')) === cli.enableSecret) {
        cli.mode = 'enable';
        return undefined;
      }
    }
    return ['% Bad secrets', ''];
  }),
  cmd('disable', EXEC, ({ cli }) => {
    cli.mode = 'user';
    return undefined;
  }),
  cmd('exit', [...USER, 'config'], ({ cli }) => {
    if (cli.mode === 'config') {
      cli.mode = 'enable';
      return undefined;
    }
    return 'exit';
  }),
  cmd('logout', USER, () => 'exit'),
  cmd('quit', USER, () => 'exit'),
  cmd('end', CONF, ({ cli }) => {
    cli.mode = 'enable';
    return undefined;
  }),
  cmd('do <command...>', CONF, ({ cli, rest }) => cli.runExec(rest)),
  cmd('configure terminal', EXEC, ({ cli }) => {
    cli.mode = 'config';
    return ['Enter configuration commands, one per line.  End with CNTL/Z.'];
  }),
  cmd('terminal length <lines>', USER, ({ cli, args }) => {
    const n = Number(args.lines);
    if (!Number.isInteger(n) || n < 0 || n > 512)
      return ['                ^', "% Invalid input detected at '^' marker."];
    cli.setPageLength(n);
    return undefined;
  }),
  cmd('terminal width <columns>', USER, () => undefined),
  cmd('terminal monitor', EXEC, () => undefined),
  cmd('show version', USER, ({ ch, cli }) => render.showVersion(ch, cli.now)),
  cmd('show clock', USER, ({ cli }) => {
    const d = new Date(cli.now);
    return [
      `*${d.toISOString().slice(11, 23)} UTC ${d.toUTCString().slice(0, 3)} ${d.toUTCString().slice(8, 11)} ${d.getUTCDate()} ${d.getUTCFullYear()}`,
    ];
  }),
  cmd('show redundancy', EXEC, ({ ch, cli }) => render.showRedundancy(ch, cli.now)),
  cmd('show redundancy states', EXEC, ({ ch }) => render.showRedundancyStates(ch)),
  cmd('show issu state [detail]', EXEC, ({ ch, cli, flags }) => render.showIssuState(ch, flags.has('detail'), cli.now)),
  cmd('show issu rollback-timer', EXEC, ({ ch }) => render.showRollbackTimer(ch)),
  cmd('show issu rollback timer', EXEC, ({ ch }) => render.showRollbackTimer(ch)),
  cmd('show issu comp-matrix negotiated', EXEC, ({ ch }) => render.showCompMatrix(ch, 'negotiated')),
  cmd('show issu comp-matrix stored', EXEC, ({ ch }) => render.showCompMatrix(ch, 'stored')),
  cmd('show running-config', EXEC, ({ ch }) => render.runningConfig(ch)),
  cmd('show bootvar', EXEC, ({ ch }) => render.showBootvar(ch)),
  cmd('show ip interface brief', USER, ({ ch }) => render.showIpInterfaceBrief(ch)),
  cmd('show ip bgp summary', USER, ({ ch, cli }) => render.showIpBgpSummary(ch, cli.now)),
  cmd('ping <target>', USER, ({ ch, args }) => render.ping(ch, args.target!)),
  cmd('dir <fs...>', EXEC, ({ ch, rest }) => listDirectory(ch, rest)),
  // The seed writes it out in full.
  cmd('directory <fs...>', EXEC, ({ ch, rest }) => listDirectory(ch, rest)),
  cmd('verify <args...>', EXEC, ({ ch, rest }) => {
    const alg = rest
      .find((a) => a.startsWith('/'))
      ?.slice(1)
      .toLowerCase();
    const file = rest.find((a) => !a.startsWith('/'));
    if (!file || (alg !== 'md5' && alg !== 'sha256'))
      return ['% Usage: verify /md5 <filesystem:file> | verify /sha256 <filesystem:file>'];
    const m = /^([a-z0-9-]+:)\/?(.+)$/i.exec(file);
    const idx = m ? ch.platform.fs.indexOf(m[1]!) : -1;
    if (!m || idx < 0) return [`%Error opening ${file} (No such device)`];
    const digests = ch.digests(idx === 0 ? ch.active : ch.standby, m[2]!);
    if (!digests) return [`%Error opening ${file} (No such file or directory)`];
    return ['.'.repeat(40) + 'Done!', `verify /${alg} (${file}) = ${digests[alg]}`];
  }),
  cmd('issu loadversion <args...>', EXEC, ({ ch, rest }) =>
    outcome(ch.loadVersion(rest), ['% issu loadversion executed successfully, Standby is being reloaded']),
  ),
  cmd('issu runversion <args...>', EXEC, async ({ ch, cli, rest }) => {
    const check = ch.runVersion(rest);
    if (!check.ok) return check.lines;
    if (!(await cli.confirm('This command will reload the Active unit.  Proceed ? '))) return ['% Aborted'];
    if (ch.faults.has('session-drop-after-runversion')) {
      // The fault: the session dies at once, before any word of the outcome reaches the client.
      ch.commitRunVersion(cli.requester);
      return undefined;
    }
    cli.afterFlush(() => ch.commitRunVersion(cli.requester));
    return ['% issu runversion executed successfully, Active is being reloaded (switching over to the standby)'];
  }),
  cmd('issu acceptversion <args...>', EXEC, ({ ch, rest }) =>
    outcome(ch.acceptVersion(rest), ['% Rollback timer stopped. Please issue the commitversion command.']),
  ),
  cmd('issu commitversion <args...>', EXEC, ({ ch, rest }) =>
    outcome(ch.commitVersion(rest), [
      '% issu commitversion executed successfully, Standby is being reloaded with the new image',
    ]),
  ),
  cmd('issu abortversion <args...>', EXEC, async ({ ch, cli, rest }) => {
    const check = ch.abortVersion(rest);
    if (!check.ok) return check.lines;
    if (ch.abortSwitchesOver()) {
      if (!(await cli.confirm('This command will reload the Active unit.  Proceed ? '))) return ['% Aborted'];
      cli.afterFlush(() => ch.commitAbortVersion(undefined, cli.requester));
      return ['% issu abortversion executed successfully, switching back to the original image'];
    }
    ch.commitAbortVersion();
    return ['% issu abortversion executed successfully, Standby is being reloaded with the original image'];
  }),
  cmd('issu set rollback-timer <seconds>', EXEC, ({ ch, args }) => ch.setRollbackTimer(Number(args.seconds)).lines),
  cmd(
    'configure issu set rollback-timer <seconds>',
    CONF,
    ({ ch, args }) => ch.setRollbackTimer(Number(args.seconds)).lines,
  ),
  cmd(
    'configure issu set rollback timer <seconds>',
    CONF,
    ({ ch, args }) => ch.setRollbackTimer(Number(args.seconds)).lines,
  ),
  cmd('issu set rollback-timer <seconds>', CONF, ({ ch, args }) => ch.setRollbackTimer(Number(args.seconds)).lines),
  cmd('boot system flash <image>', CONF, ({ ch, args }) => ch.setBootSystem(args.image!).lines),
  cmd('boot system <image>', CONF, ({ ch, args }) => ch.setBootSystem(args.image!).lines),
  cmd('no boot system', CONF, ({ ch }) => ch.setBootSystem(null).lines),
  cmd('write memory', EXEC, () => ['Building configuration...', '[OK]']),
  cmd('copy running-config startup-config', EXEC, async ({ cli }) => {
    await cli.confirm('Destination filename [startup-config]? ');
    return ['Building configuration...', '[OK]'];
  }),
  cmd('redundancy reload peer', EXEC, async ({ ch, cli }) => {
    if (!(await cli.confirm('Reload peer? '))) return ['% Aborted'];
    return ch.reloadPeer().lines;
  }),
  cmd('redundancy force-switchover', EXEC, async ({ ch, cli }) => {
    const check = ch.forceSwitchoverCheck();
    if (!check.ok) return check.lines;
    if (!(await cli.confirm('Proceed with switchover to standby RP? '))) return ['% Aborted'];
    cli.afterFlush(() => ch.commitForceSwitchover(cli.requester));
    return ['Switching over to the standby RP...'];
  }),
  cmd('reload', EXEC, async ({ ch, cli }) => {
    if (ch.issu.state !== 'Init') return [`% ISSU is in progress (state ${ch.issu.state}); abort it before reloading`];
    if (!(await cli.confirm('Proceed with reload? '))) return ['% Aborted'];
    cli.afterFlush(() => ch.reloadChassis(cli.requester));
    return ['', 'Reload requested by console. Reload Reason: Reload Command.'];
  }),
];
