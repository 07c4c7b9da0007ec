import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts one of the bench's server entry points (`src/bench/<name>.ts`) in its own Node process and waits for its URL. */
export async function startChildServer(name: string, env: Record<string, string>): Promise<ChildServer> {
  const entry = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (msg) => resolve((msg as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`bench server ${name} exited (${code}) before listening:\n${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) child.send('stop');
      await exited;
    },
  };
}
