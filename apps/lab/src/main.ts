// `npm run lab -- --devices N [--time-scale F] [--faults FILE] [--json] …`
// Starts a lab of simulated chassis and prints how to reach each device.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { FAULT_NAMES, generateFleet, isFaultName, type FaultName } from '@hitless/sim';
import { z } from 'zod';
import { labEnableHint, labSshCommand } from './known-hosts.ts';
import { LabError, startLab } from './lab.ts';
import { SYSLOG_FORMATS } from './syslog.ts';

const USAGE = `usage: npm run lab -- [options]
  --devices N          number of devices (default 8), a mix of c10k, ASR1000, Catalyst 4500 and MX480
  --time-scale F       divide every duration by F (default 1: a Junos ISSU takes ~40 minutes)
  --faults FILE        JSON {"<hostname>": ["<fault>", …]}; faults: ${FAULT_NAMES.join(', ')}
  --port P             SSH port on every device address (default 22; 0 = a free port each)
  --base-address A     first device address is A+1 (default 127.10.0.0)
  --legacy-ssh H,H     devices offering only legacy SSH algorithms (old IOS)
  --state-dir DIR      keep each device's SSH host key in DIR (0600 files) across restarts
  --syslog HOST:PORT   send each device's syslog there over UDP
  --syslog-format F    auto (default: Cisco RFC 3164 as IOS sends, Junos RFC 5424), or 5424 or 3164 for all
  --api HOST:PORT      lab HTTP API (default 127.0.0.1:0 = a free port)
  --api-token T        bearer token for the API (default: random, printed)
  --json               print the device list as JSON
  --quiet              print nothing (a parent process gets the list over IPC)`;

const FaultFile = z.record(z.string(), z.array(z.string()));

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function hostPort(value: string, flag: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(value);
  if (!m) fail(`${flag} must be HOST:PORT, got "${value}"`);
  return { host: m[1]!, port: Number(m[2]) };
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        devices: { type: 'string', default: '8' },
        'time-scale': { type: 'string', default: '1' },
        faults: { type: 'string' },
        port: { type: 'string', default: '22' },
        'base-address': { type: 'string', default: '127.10.0.0' },
        'legacy-ssh': { type: 'string' },
        'state-dir': { type: 'string' },
        syslog: { type: 'string' },
        'syslog-format': { type: 'string', default: 'auto' },
        api: { type: 'string', default: '127.0.0.1:0' },
        'api-token': { type: 'string' },
        json: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const devices = Number(values.devices);
  if (!Number.isInteger(devices) || devices < 1 || devices > 10_000)
    fail('--devices must be a whole number from 1 to 10000');
  const timeScale = Number(values['time-scale']);
  if (!Number.isFinite(timeScale) || timeScale <= 0 || timeScale > 100_000)
    fail('--time-scale must be a positive number');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be 0-65535');
  if (!/^127\.\d+\.\d+\.\d+$/.test(values['base-address'])) fail('--base-address must be in 127.0.0.0/8');
  const format = SYSLOG_FORMATS.find((f) => f === values['syslog-format']);
  if (!format) fail(`--syslog-format must be ${SYSLOG_FORMATS.slice(0, -1).join(', ')} or ${SYSLOG_FORMATS.at(-1)}`);

  let faults: Record<string, FaultName[]> | undefined;
  if (values.faults) {
    const text = await readFile(values.faults, 'utf8').catch((err: Error) =>
      fail(`cannot read ${values.faults}: ${err.message}`),
    );
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      fail(`${values.faults} is not valid JSON: ${(err as Error).message}`);
    }
    const parsed = FaultFile.safeParse(json);
    if (!parsed.success) fail(`${values.faults} must map hostnames to lists of fault names`);
    faults = {};
    for (const [host, list] of Object.entries(parsed.data)) {
      const unknown = list.filter((f) => !isFaultName(f));
      if (unknown.length) fail(`${values.faults}: unknown fault(s) for ${host}: ${unknown.join(', ')}`);
      faults[host] = list as FaultName[];
    }
  }

  const t0 = performance.now();
  const lab = await startLab({
    devices: generateFleet({ devices, port, baseAddress: values['base-address'] }),
    timeScale,
    ...(faults && { faults }),
    ...(values['legacy-ssh'] && { legacySsh: values['legacy-ssh'].split(',') }),
    ...(values['state-dir'] && { stateDir: values['state-dir'] }),
    syslog: values.syslog ? { ...hostPort(values.syslog, '--syslog'), format } : null,
    api: { ...hostPort(values.api, '--api'), ...(values['api-token'] && { token: values['api-token'] }) },
  });
  const startMs = Math.round(performance.now() - t0);
  const summary = {
    apiUrl: lab.apiUrl,
    apiToken: lab.apiToken,
    timeScale,
    startMs,
    knownHostsFile: lab.knownHostsFile,
    devices: lab.info(),
  };

  if (values.quiet) {
    // The parent gets the summary over IPC below.
  } else if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    const rows = summary.devices.map((d) => [
      d.hostname,
      `${d.address}:${d.port}`,
      d.vendor,
      d.platform,
      `${d.username} / ${d.password}`,
      d.enableSecret ?? '-',
    ]);
    const head = ['hostname', 'address', 'vendor', 'platform', 'login', 'enable secret'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
    process.stdout.write([fmt(head), ...rows.map(fmt)].join('\n') + '\n\n');
    process.stdout.write(`${devices} devices up in ${startMs} ms, time scale ${timeScale}\n`);
    process.stdout.write(`lab API ${lab.apiUrl} (Authorization: Bearer ${lab.apiToken})\n`);
    if (lab.knownHostsFile) process.stdout.write(`host keys for OpenSSH: ${lab.knownHostsFile}\n`);
    const first = summary.devices[0]!;
    process.stdout.write(
      `try: ${labSshCommand(first, lab.knownHostsFile)} "show version"   (sshpass: apt-get install sshpass)\n`,
    );
    const hint = labEnableHint(summary.devices.find((d) => d.enableSecret)?.enableSecret ?? null);
    if (hint) process.stdout.write(`${hint}\n`);
  }
  process.send?.({ type: 'ready', ...summary });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await lab.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof LabError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
