// npm run bench:lab [-- --devices 2000 --concurrency 100]
// Starts the lab in a child process with N devices, opens an interactive SSH session to every
// device, and prints start-up time, memory per idle device and memory per open session
// (resident set size of the lab process, from /proc).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ssh2 from 'ssh2';
import type { LabDeviceInfo } from '../src/lab.ts';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '100' },
    'base-address': { type: 'string', default: '127.50.0.0' },
  },
});
const N = Number(values.devices);
const CONCURRENCY = Number(values.concurrency);
const main = path.resolve(import.meta.dirname, '../src/main.ts');

interface Summary {
  startMs: number;
  devices: LabDeviceInfo[];
}

async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]);
}

async function startLab(devices: number): Promise<{ child: ChildProcess; summary: Summary; wallMs: number }> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      main,
      '--devices',
      String(devices),
      '--port',
      '0',
      '--base-address',
      values['base-address'],
      '--json',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const summary = await new Promise<Summary>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)) as Summary);
    });
    child.once('exit', (code) => reject(new Error(`lab exited ${code}`)));
  });
  return { child, summary, wallMs: performance.now() - t0 };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

function openSession(d: LabDeviceInfo): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.once('error', reject);
    client.once('ready', () => {
      client.shell({ term: 'vt100' }, (err, stream) => {
        if (err) return reject(err);
        let seen = '';
        stream.on('data', (b: Buffer) => {
          seen += b.toString();
          if (/[>#] ?$/.test(seen)) resolve(client);
        });
      });
    });
    client.connect({ host: d.address, port: d.port, username: d.username, password: d.password, readyTimeout: 60_000 });
  });
}

// A one-device lab is the baseline: the process itself, Node, tsx, Fastify.
const base = await startLab(1);
await settle(1500);
const baseRss = await rssKiB(base.child.pid!);
await stop(base.child);

const lab = await startLab(N);
await settle(2000);
const idleRss = await rssKiB(lab.child.pid!);

const t0 = performance.now();
const clients: ssh2.Client[] = [];
const queue = [...lab.summary.devices];
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    for (let d = queue.shift(); d; d = queue.shift()) clients.push(await openSession(d));
  }),
);
const sessionsMs = performance.now() - t0;
await settle(2000);
const busyRss = await rssKiB(lab.child.pid!);

const kib = (v: number) => `${v.toFixed(1)} KiB`;
const lines = [
  `devices                       ${N}`,
  `lab start-up (in process)     ${lab.summary.startMs} ms`,
  `lab start-up (spawn to ready) ${Math.round(lab.wallMs)} ms`,
  `RSS, 1-device baseline        ${(baseRss / 1024).toFixed(1)} MiB`,
  `RSS, ${N} idle devices        ${(idleRss / 1024).toFixed(1)} MiB`,
  `memory per idle device        ${kib((idleRss - baseRss) / (N - 1))}`,
  `SSH sessions opened           ${clients.length} in ${Math.round(sessionsMs)} ms (${CONCURRENCY} at a time)`,
  `RSS with every session open   ${(busyRss / 1024).toFixed(1)} MiB`,
  `memory per open session       ${kib((busyRss - idleRss) / clients.length)}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
for (const c of clients) c.end();
await stop(lab.child);
