// Test helpers: a lab per test file (src/testing.ts, shared with other packages' tests), and a
// minimal ssh2 client that types commands and waits for prompts.
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import ssh2 from 'ssh2';
import type { LabDeviceInfo } from '../src/lab.ts';

export { labOf, uniqueBase } from '../src/testing.ts';

export interface Shell {
  /** Sends a line and resolves with the output up to the next prompt (the echo removed). */
  run(line: string, prompt?: RegExp): Promise<string>;
  /** Sends raw text and resolves when `until` appears in the new output. */
  send(text: string, until: RegExp): Promise<string>;
  closed: Promise<void>;
  isClosed(): boolean;
  end(): void;
}

const PROMPT = /(?:[\w.-]+[>#]|\(config\)#|[\w.-]+@[\w.-]+[>#] )$/;

export function connect(
  info: Pick<LabDeviceInfo, 'address' | 'port' | 'username' | 'password'>,
  options: { legacy?: boolean; password?: string; readyTimeoutMs?: number } = {},
): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.once('ready', () => resolve(client));
    // Kept for the client's life: a socket cut after a failed handshake errors once more.
    client.on('error', reject);
    client.connect({
      host: info.address,
      port: info.port,
      username: info.username,
      password: options.password ?? info.password,
      readyTimeout: options.readyTimeoutMs ?? 5000,
      ...(options.legacy && {
        algorithms: {
          kex: ['diffie-hellman-group14-sha1'],
          serverHostKey: ['ssh-rsa'],
          cipher: ['aes128-cbc'],
          hmac: ['hmac-sha1'],
        },
      }),
    });
  });
}

export async function shell(client: ssh2.Client): Promise<Shell> {
  const stream = await new Promise<ssh2.ClientChannel>((resolve, reject) =>
    client.shell({ term: 'vt100', rows: 24, cols: 200 }, (err, s) => (err ? reject(err) : resolve(s))),
  );
  let buffer = '';
  let closed = false;
  const waiters: (() => void)[] = [];
  const closedP = new Promise<void>((resolve) =>
    stream.once('close', () => {
      closed = true;
      for (const w of waiters.splice(0)) w();
      resolve();
    }),
  );
  stream.on('data', (d: Buffer) => {
    buffer += d.toString('utf8');
    for (const w of waiters.splice(0)) w();
  });
  const waitFor = async (re: RegExp, from: number, timeoutMs = 5000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const chunk = buffer.slice(from).replace(/\r\n/g, '\n');
      if (re.test(chunk)) return chunk;
      if (closed) throw new Error(`session closed while waiting for ${re}: ${JSON.stringify(chunk)}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}: ${JSON.stringify(chunk)}`);
      await Promise.race([new Promise<void>((r) => waiters.push(r)), sleep(100)]);
    }
  };
  await waitFor(PROMPT, 0);
  return {
    run: async (line, prompt = PROMPT) => {
      const from = buffer.length;
      stream.write(`${line}\r`);
      const out = await waitFor(new RegExp(`\\n[^\\n]*${prompt.source}`), from);
      return out.split('\n').slice(1, -1).join('\n');
    },
    send: async (text, until) => {
      const from = buffer.length;
      stream.write(text);
      return waitFor(until, from);
    },
    closed: closedP,
    isClosed: () => closed,
    end: () => client.end(),
  };
}

/** Exec request: one command, its output, the exit status. */
export async function exec(client: ssh2.Client, command: string): Promise<{ output: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      let output = '';
      let code: number | null = null;
      stream.on('data', (d: Buffer) => (output += d.toString('utf8')));
      stream.on('exit', (c: number | null) => (code = c));
      stream.on('close', () => resolve({ output: output.replace(/\r\n/g, '\n'), code }));
    });
  });
}

/** Logs in, enters privileged mode (Cisco) and turns paging off. */
export async function privileged(info: LabDeviceInfo): Promise<Shell & { client: ssh2.Client }> {
  const client = await connect(info);
  const sh = await shell(client);
  if (info.vendor === 'JUNOS') await sh.run('set cli screen-length 0');
  else {
    await sh.send('enable\r', /Password: $/);
    await sh.run(info.enableSecret ?? '');
    await sh.run('terminal length 0');
  }
  return Object.assign(sh, { client });
}

/** Fails at once, saying what to install, when the stock OpenSSH client or sshpass is missing. */
export function requireOpenSsh(): void {
  for (const tool of ['ssh', 'sshpass']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`]);
    } catch {
      throw new Error(`${tool} is missing: sudo apt-get install -y openssh-client sshpass (.ci/run installs them)`);
    }
  }
}
