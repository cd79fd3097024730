// Longer than 300 lines: the command table is one list of every command the lab's MX answers, kept whole so
// its grammar reads top to bottom.
// The Junos command line of a simulated MX: operational mode (`user@host> `), configuration
// mode (`[edit]` / `user@host# `), abbreviations, `| display set` and other pipes,
// `[yes,no]` confirmations, and the streaming in-service upgrade.
import type { Clock } from '../clock.ts';
import { parseJunosFilter, splitPipes } from '../cli/filters.ts';
import { match, pattern, tokenize, type CommandSpec } from '../cli/grammar.ts';
import { CliSession, SessionClosed, type SessionOptions, type Terminal } from '../cli/session.ts';
import type { JunosChassis } from './chassis.ts';
import * as render from './render.ts';

type Mode = 'op' | 'config';

interface Ctx {
  cli: JunosCli;
  ch: JunosChassis;
  args: Record<string, string>;
  rest: string[];
  flags: Set<string>;
  /** `| display set` was given (configuration displays honour it). */
  displaySet: boolean;
}

type Handler = (ctx: Ctx) => Promise<string[] | undefined | 'exit'> | string[] | undefined | 'exit';

const OP: Mode[] = ['op'];
const CONF: Mode[] = ['config'];
const cmd = (text: string, modes: Mode[], run: Handler): CommandSpec<Handler> => ({
  pattern: pattern(text),
  modes,
  run,
});

export interface JunosCliOptions extends SessionOptions {
  chassis: JunosChassis;
  clock: Clock;
  username: string;
  onCommand(line: string): void;
}

export class JunosCli extends CliSession {
  mode: Mode = 'op';
  readonly ch: JunosChassis;
  private readonly opts: JunosCliOptions;

  constructor(term: Terminal, options: JunosCliOptions) {
    super(term, options);
    this.ch = options.chassis;
    this.opts = options;
  }

  protected prompt(): string {
    const who = `${this.opts.username}@${this.ch.hostname}`;
    return this.mode === 'op' ? `${who}> ` : `\r\n[edit]\r\n${who}# `;
  }

  protected morePrompt(): string {
    return '---(more)---';
  }

  protected override async greet(): Promise<void> {
    const img = this.ch.image(this.ch.master.version);
    this.write(`--- JUNOS ${this.ch.master.version} built ${img?.releaseDate ?? '2010-01-01'} 19:28:13 UTC\r\n`);
  }

  get now(): number {
    return this.opts.clock.now();
  }

  /** The device's syslog record of a command that changes it, with this session's user. */
  logCommand(line: string): void {
    this.ch.logCommand(this.opts.username, line);
  }

  setPageLength(n: number): void {
    this.pageLength = n;
  }

  /** Prints before an action that may end the session (so the words reach the client first). */
  say(lines: string[]): Promise<void> {
    return this.print(lines);
  }

  async yesNo(question: string): Promise<boolean> {
    return this.confirmation(`${question} [yes,no] (no) `, (a) => a === 'yes' || a === 'y');
  }

  protected async execute(raw: string): Promise<boolean> {
    const line = raw.trim();
    if (!line) return true;
    this.opts.onCommand(line);
    const [command, ...filterTexts] = splitPipes(line);
    const filters = filterTexts.map(parseJunosFilter);
    if (filters.some((f) => f === null)) {
      await this.print([`${' '.repeat(this.caretBase() + line.indexOf('|') + 2)}^`, 'syntax error.']);
      return true;
    }
    const displaySet = filters.some((f) => f?.kind === 'display-set');
    const result = await this.dispatch(command!, this.mode, displaySet);
    if (result === 'exit') return false;
    if (!result) return true;
    let lines = result;
    let noMore = false;
    for (const f of filters) {
      if (f?.kind === 'lines') lines = f.apply(lines);
      if (f?.kind === 'no-more') noMore = true;
    }
    if (noMore) {
      const saved = this.pageLength;
      this.pageLength = 0;
      await this.print(lines);
      this.pageLength = saved;
    } else await this.print(lines);
    return true;
  }

  private caretBase(): number {
    return this.options.interactive
      ? `${this.opts.username}@${this.ch.hostname}${this.mode === 'op' ? '> ' : '# '}`.length
      : 0;
  }

  async dispatch(command: string, mode: Mode, displaySet: boolean): Promise<string[] | undefined | 'exit'> {
    const { tokens, offsets } = tokenize(command);
    const m = match(COMMANDS, mode, tokens);
    if (m.kind === 'ok')
      return m.spec.run({ cli: this, ch: this.ch, args: m.args, rest: m.rest, flags: m.flags, displaySet });
    const at =
      m.kind === 'incomplete'
        ? command.trimEnd().length + 1
        : (offsets[m.kind === 'invalid' || m.kind === 'ambiguous' ? m.tokenIndex : 0] ?? 0);
    return [
      `${' '.repeat(this.caretBase() + at)}^`,
      m.kind === 'ambiguous' ? `'${tokens[m.tokenIndex]}' is ambiguous.` : 'syntax error, expecting <command>.',
    ];
  }

  /**
   * Streams the in-service upgrade's progress to this session as it happens. The upgrade runs
   * on the device whatever happens to the session (a switchover ends the session itself).
   */
  async followIssu(run: NonNullable<JunosChassis['issu']>): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        run.onLine = null;
        run.onDone = null;
        resolve();
      };
      run.onLine = (l) => {
        try {
          this.write(`${l}\r\n`);
        } catch (err) {
          run.onLine = null;
          run.onDone = null;
          reject(err as Error);
        }
      };
      run.onDone = done;
      this.onClose(() => {
        run.onLine = null;
        run.onDone = null;
        reject(new SessionClosed());
      });
      if (run.done) done();
    });
  }

  private closeHooks: (() => void)[] = [];
  private onClose(fn: () => void) {
    this.closeHooks.push(fn);
  }

  override close(exitCode = 0): void {
    const hooks = this.closeHooks;
    this.closeHooks = [];
    super.close(exitCode);
    for (const h of hooks) h();
  }
}

const SHUTDOWN_LINES = (pending: string | null) => [
  '',
  '*** FINAL System shutdown message from root@ ***',
  'System going down IMMEDIATELY',
  '',
  'Shutdown NOW!',
  ...(pending
    ? [`Reboot consistency check bypassed - jinstall ${pending} will complete installation upon reboot`]
    : []),
  `[pid ${65000 + Math.floor(Math.random() * 999)}]`,
];

const COMMANDS: CommandSpec<Handler>[] = [
  cmd('exit', OP, () => 'exit'),
  cmd('quit', OP, () => 'exit'),
  cmd('set cli screen-length <lines>', OP, ({ cli, args }) => {
    const n = Number(args.lines);
    if (!Number.isInteger(n) || n < 0) return ['error: invalid screen length'];
    cli.setPageLength(n);
    return [`Screen length set to ${n}`];
  }),
  cmd('set cli screen-width <columns>', OP, ({ args }) => [`Screen width set to ${args.columns}`]),
  cmd('show version', OP, ({ ch }) => render.showVersion(ch, false)),
  cmd('show version invoke-on all-routing-engines', OP, ({ ch }) => render.showVersion(ch, true)),
  cmd('show chassis routing-engine', OP, ({ ch, cli }) => render.showChassisRoutingEngine(ch, cli.now)),
  cmd('show system switchover', OP, ({ ch }) => render.showSystemSwitchover(ch)),
  cmd('show system switchover invoke-on other-routing-engine', OP, ({ ch }) => render.showSystemSwitchover(ch)),
  cmd('show system storage', OP, ({ ch }) => render.showSystemStorage(ch)),
  cmd('show chassis in-service-upgrade', OP, ({ ch }) => [
    'Item           Status                  Reason',
    'FPC 0          Online',
    'FPC 1          Online',
    '',
    `ISSU status: ${ch.issuStatus()}`,
  ]),
  cmd('request system software rollback [other-routing-engine]', OP, ({ cli, ch, flags }) => {
    const other = flags.has('other-routing-engine');
    cli.logCommand(`request system software rollback${other ? ' other-routing-engine' : ''}`);
    return ch.softwareRollback(other ? ch.backup : ch.master);
  }),
  cmd('show bgp summary', OP, ({ ch, cli }) => render.showBgpSummary(ch, cli.now)),
  cmd('show interfaces terse', OP, ({ ch }) => render.showInterfacesTerse(ch)),
  cmd('show configuration <path...>', OP, ({ ch, rest, displaySet }) =>
    render.showConfiguration(ch.config, rest, displaySet),
  ),
  cmd('file list <path> [detail]', OP, ({ ch, args, flags }) => render.fileList(ch, args.path!, flags.has('detail'))),
  cmd('file checksum md5 <path>', OP, ({ ch, args }) => {
    const d = ch.digests(args.path!.replace(/^.*\//, ''));
    return d ? [`MD5 (${args.path}) = ${d.md5}`] : [`error: ${args.path}: No such file or directory`];
  }),
  cmd('file checksum sha-256 <path>', OP, ({ ch, args }) => {
    const d = ch.digests(args.path!.replace(/^.*\//, ''));
    return d ? [`SHA256 (${args.path}) = ${d.sha256}`] : [`error: ${args.path}: No such file or directory`];
  }),
  cmd('ping <target> <options...>', OP, ({ ch, args, rest }) => {
    const i = rest.indexOf('count');
    const count = i >= 0 ? Number(rest[i + 1]) : 5;
    return render.ping(ch, args.target!, Number.isInteger(count) && count > 0 ? Math.min(count, 100) : 5);
  }),
  cmd('configure [private]', OP, ({ cli }) => {
    cli.mode = 'config';
    cli.ch.candidate = new Set(cli.ch.config);
    return ['Entering configuration mode'];
  }),
  cmd('request system software in-service-upgrade <package> [reboot]', OP, async ({ cli, ch, args, flags }) => {
    const refusal = ch.issuRefusal(args.package!);
    if (refusal.length > 0) return refusal;
    const run = ch.startIssu(args.package!, flags.has('reboot'));
    if (ch.faults.has('session-drop-after-runversion')) {
      // The fault: the session dies right after the upgrade started; the device carries on.
      cli.close(255);
      return undefined;
    }
    await cli.followIssu(run);
    return undefined;
  }),
  cmd('request system reboot [other-routing-engine] [both-routing-engines]', OP, async ({ cli, ch, flags }) => {
    const other = flags.has('other-routing-engine');
    const both = flags.has('both-routing-engines');
    if (!(await cli.yesNo(other ? 'Reboot the other routing engine ?' : 'Reboot the system ?'))) return undefined;
    cli.logCommand(`request system reboot${other ? ' other-routing-engine' : both ? ' both-routing-engines' : ''}`);
    if (other) {
      const re = ch.backup;
      if (re.state === 'Rebooting') return [`error: re${re.slot} is already rebooting`];
      const lines = [`Rebooting re${re.slot}`, ...SHUTDOWN_LINES(re.pending)];
      ch.rebootRe(re, null, 'Router rebooted after a normal shutdown.');
      return lines;
    }
    const pending = ch.master.pending;
    await cli.say(SHUTDOWN_LINES(pending));
    if (both) ch.rebootRe(ch.backup, null, 'Router rebooted after a normal shutdown.');
    ch.rebootMaster();
    return undefined;
  }),
  cmd('request chassis routing-engine master switch [no-confirm]', OP, async ({ cli, ch, flags }) => {
    const refusal = ch.mastershipSwitchRefusal();
    if (refusal) return [refusal];
    if (!flags.has('no-confirm') && !(await cli.yesNo('Toggle mastership between routing engines ?'))) return undefined;
    cli.logCommand('request chassis routing-engine master switch');
    await cli.say(['Resolving mastership...', 'Complete. The other routing engine becomes the master.']);
    ch.switchMastership('user request');
    return undefined;
  }),

  // configuration mode
  cmd('set <path...>', CONF, ({ ch, rest }) => {
    if (rest.length === 0) return ['error: missing statement'];
    ch.candidate.add(['set', ...rest].join(' '));
    return undefined;
  }),
  cmd('delete <path...>', CONF, ({ ch, rest }) => {
    const prefix = ['set', ...rest].join(' ');
    const hits = [...ch.candidate].filter((s) => s === prefix || s.startsWith(`${prefix} `));
    if (hits.length === 0) return [`warning: statement not found`];
    for (const h of hits) ch.candidate.delete(h);
    return undefined;
  }),
  cmd('commit [synchronize] [check] [and-quit]', CONF, ({ cli, ch, flags }) => {
    if (flags.has('check')) return ['configuration check succeeds'];
    const lines = ch.commit(flags.has('synchronize'));
    if (flags.has('and-quit')) {
      cli.mode = 'op';
      lines.push('Exiting configuration mode');
    }
    return lines;
  }),
  cmd('show <path...>', CONF, ({ ch, rest, displaySet }) => render.showConfiguration(ch.candidate, rest, displaySet)),
  cmd('rollback [0]', CONF, ({ ch }) => {
    ch.candidate = new Set(ch.config);
    return ['load complete'];
  }),
  cmd('run <command...>', CONF, ({ cli, rest, displaySet }) => cli.dispatch(rest.join(' '), 'op', displaySet)),
  cmd('top', CONF, () => undefined),
  cmd('exit [configuration-mode]', CONF, ({ cli, ch }) => exitConfig(cli, ch)),
  cmd('quit', CONF, ({ cli, ch }) => exitConfig(cli, ch)),
];

function exitConfig(cli: JunosCli, ch: JunosChassis): string[] {
  cli.mode = 'op';
  const changed = ch.candidate.size !== ch.config.size || [...ch.candidate].some((s) => !ch.config.has(s));
  if (changed) {
    ch.candidate = new Set(ch.config);
    return ['The configuration has been changed but not committed', 'Exiting configuration mode'];
  }
  return ['Exiting configuration mode'];
}
