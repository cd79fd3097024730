// `npm start` as a user runs it, for the launcher's tests: a real launcher process on a data
// directory of the test's, its output kept, the URL it prints awaited.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '@hitless/config';

export interface Launch {
  child: ChildProcess;
  output: () => string;
  url: Promise<string>;
  exited: Promise<number | null>;
}

/** `env` is the whole environment the launcher gets. */
export function launchWith(env: NodeJS.ProcessEnv): Launch {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'apps/launcher/src/start.ts')], {
    cwd: repoRoot,
    env,
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /running at (http:\/\/\S+\/)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`launcher exited (${code}) before printing its URL:\n${out}`)));
  });
  return { child, output: () => out, url, exited };
}
