/** Runs the real `dozvon` CLI from source in a child process (tsx), as an operator would. */
import { spawn, ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const TSX = require.resolve('tsx/cjs');

export function dozvonArgs(args: string[]): string[] {
  return ['--require', TSX, join(ROOT, 'src', 'main.ts'), ...args];
}

export interface Served {
  child: ChildProcess;
  port: number;
  output(): string;
}

/** Starts `dozvon serve` and resolves once it logs the address it listens on. */
export function spawnServe(env: Record<string, string>, timeoutMs = 15000): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, dozvonArgs(['serve']), {
      env: { PATH: process.env.PATH ?? '', DOZVON_LISTEN: '127.0.0.1:0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dozvon serve did not start:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /"listen":"127\.0\.0\.1:(\d+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dozvon serve exited with ${code}:\n${out}`));
    });
  });
}

export function runCliProcess(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, dozvonArgs(args), {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export function waitExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}
