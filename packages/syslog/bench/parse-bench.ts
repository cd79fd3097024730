// Parse and framing throughput on one core: `node --import tsx packages/syslog/bench/parse-bench.ts`.
// Lines are the shapes the collector sees most (fixtures.ts says where each was captured).
import { decodePayload, parseSyslog, SyslogStreamFramer } from '../src/index.ts';
import { CISCO, JUNOS } from '../src/fixtures.ts';

const receivedAt = new Date('2026-12-02T10:00:05Z');
const cases: Record<string, string> = {
  'cisco 3164 (seq, *, ms, UTC)':
    '<189>123: *Mar  1 00:01:02.345 UTC: %SYS-5-CONFIG_I: Configured from console by vty0',
  'cisco 3164 relayed (header, seq)': CISCO.relayedSequence,
  'junos 3164 (host, tag[pid], TAG)':
    '<28>Dec  2 10:00:00 re1 chassisd[1234]: CHASSISD_RE_MASTERSHIP: Mastership switched',
  'junos 5424 (structured data)': JUNOS.srx240,
  'cisco 3164, zone Europe/Paris': '<189>45: Dec  2 10:00:00: %LINK-3-UPDOWN: Interface Gi0/1, changed state to down',
};

function rate(run: () => void, ms = 1000): number {
  for (let i = 0; i < 20_000; i++) run(); // warm up the JIT
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 1000; i++) run();
    n += 1000;
  }
  return Math.round(n / ((performance.now() - start) / 1000));
}

const lines: string[] = [];
for (const [name, raw] of Object.entries(cases)) {
  const timeZone = name.includes('Paris') ? 'Europe/Paris' : undefined;
  const perSecond = rate(() => parseSyslog(raw, { receivedAt, ...(timeZone && { timeZone }) }));
  lines.push(`parseSyslog  ${name.padEnd(36)} ${perSecond.toLocaleString('en-US').padStart(11)} msg/s`);
}

const payload = Buffer.from(cases['cisco 3164 (seq, *, ms, UTC)']!);
lines.push(
  `decodePayload ${''.padEnd(35)} ${rate(() => decodePayload(payload))
    .toLocaleString('en-US')
    .padStart(11)} msg/s`,
);

const one = `${Object.values(cases).join('\n')}\n`;
const stream = Buffer.from(one.repeat(200)); // ~100 kB chunks
const framer = new SyslogStreamFramer({ maxMessageBytes: 8192 });
const frames = framer.push(stream).length;
const chunksPerSecond = rate(() => framer.push(stream), 1000);
lines.push(
  `SyslogStreamFramer (LF) ${''.padEnd(25)} ${(chunksPerSecond * frames).toLocaleString('en-US').padStart(11)} msg/s`,
);

process.stdout.write(`${lines.join('\n')}\n`);
