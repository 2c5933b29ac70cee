/**
 * A real Asterisk for the tests: built from a source tarball by scripts/asterisk/build.sh
 * (cached by the tarball's hash), configured privately (config.ts), started in the foreground
 * as our child and stopped by pid. One per test file; nothing outside its run folder is touched.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, openSync, closeSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AsteriskLayout, PROJECT, dirs, writeConfig } from './config';

const run = promisify(execFile);

/** Builds (or finds in the cache) the Asterisk in DOZVON_TEST_ASTERISK_SRC; null when unset. */
let built: Promise<string> | null = null;
export function buildAsterisk(): Promise<string> | null {
  const src = process.env.DOZVON_TEST_ASTERISK_SRC;
  if (!src) return null;
  built ??= (async () => {
    const script = path.join(PROJECT, 'scripts/asterisk/build.sh');
    const child = spawn('bash', [script, src], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`scripts/asterisk/build.sh exited ${code}`);
    return out.trim().split('\n').pop() as string;
  })();
  return built;
}

/** A free TCP port on loopback (also free for UDP in practice: the kernel hands out unused ones). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  prompts?: boolean;
  /** RTP ports for more calls at once than the stories place (the burst bench). */
  rtpPorts?: number;
  /** False: the phones record nothing (the burst bench, which listens to no recording). */
  recordPhones?: boolean;
  /** Where ports come from (the harness's own test hands out one that is taken). */
  ports?: () => Promise<number>;
}

export const LAYOUT_FILE = 'layout.json';

const BIND_FAILED = /Address already in use/;

export class RealAsterisk {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  readonly confPath: string;
  /** Started by someone else (DOZVON_TEST_ARI_URL): we neither stop it nor remove its folder. */
  private attached = false;

  private constructor(
    readonly layout: AsteriskLayout,
    write = true,
  ) {
    this.confPath = write ? writeConfig(layout) : path.join(dirs(layout).etc, 'asterisk.conf');
    if (write) writeFileSync(path.join(layout.runDir, LAYOUT_FILE), JSON.stringify(layout, null, 2));
  }

  /**
   * An Asterisk already running with the test configuration (`npm run asterisk:test` prints
   * how): found by the layout file in its folder, checked to answer at `ariUrl`.
   */
  static async attach(ariUrl: string, runDir: string): Promise<RealAsterisk> {
    const file = path.join(runDir, LAYOUT_FILE);
    if (!existsSync(file))
      throw new Error(`DOZVON_TEST_ASTERISK_DIR=${runDir} has no ${LAYOUT_FILE}: start the Asterisk with npm run asterisk:test`);
    const a = new RealAsterisk(JSON.parse(readFileSync(file, 'utf8')) as AsteriskLayout, false);
    a.attached = true;
    if (a.ariUrl !== ariUrl.replace(/\/+$/, ''))
      throw new Error(`DOZVON_TEST_ARI_URL=${ariUrl} but the Asterisk in ${runDir} listens at ${a.ariUrl}`);
    const r = await fetch(`${a.ariUrl}/ari/asterisk/info`, { headers: a.auth(), signal: AbortSignal.timeout(3000) }).catch((e: Error) => {
      throw new Error(`the Asterisk at ${ariUrl} does not answer: ${e.message}`);
    });
    if (r.status !== 200) throw new Error(`the Asterisk at ${ariUrl} answered ${r.status} to ARI with the test credentials`);
    return a;
  }

  get isAttached(): boolean {
    return this.attached;
  }

  static async start(prefix: string, opts: StartOptions = {}, runDir = mkdtempSync(path.join(tmpdir(), 'dz-ast-'))): Promise<RealAsterisk> {
    const port = opts.ports ?? freePort;
    for (let attempt = 1; ; attempt++) {
      const layout: AsteriskLayout = {
        prefix,
        runDir,
        httpPort: await port(),
        trunkPort: await port(),
        phonesPort: await port(),
        // Even start, 200 ports: two concurrent runs rarely overlap, and RTP wants even numbers.
        rtpStart: 20000 + 2 * Math.floor(Math.random() * 10000),
        ariUser: 'dozvon',
        ariPassword: `test-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`,
        prompts: opts.prompts ?? true,
        ...(opts.rtpPorts ? { rtpPorts: opts.rtpPorts } : {}),
        ...(opts.recordPhones === false ? { recordPhones: false } : {}),
      };
      const a = new RealAsterisk(layout);
      try {
        await a.boot();
        return a;
      } catch (e) {
        await a.kill();
        // A port free when chosen can be taken before Asterisk binds it (another run's RTP, say): fresh ports, twice at most.
        if (attempt >= 3 || !BIND_FAILED.test(a.log())) throw e;
        // The next Asterisk logs into the same folder: its log must not carry this one's bind errors,
        // or a test reading the start log blames the shipped files for a port the kernel handed twice.
        rmSync(dirs(layout).log, { recursive: true, force: true });
      }
    }
  }

  get ariUrl(): string {
    return `http://127.0.0.1:${this.layout.httpPort}`;
  }

  get logFile(): string {
    return path.join(dirs(this.layout).log, 'full');
  }

  get recordings(): string {
    return dirs(this.layout).rec;
  }

  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
  }

  /** Starts the process and waits until ARI answers and PJSIP is up. */
  async boot(): Promise<void> {
    const bin = path.join(this.layout.prefix, 'sbin/asterisk');
    const out = openSync(path.join(this.layout.runDir, 'console.log'), 'a');
    this.child = spawn(bin, ['-f', '-C', this.confPath], { stdio: ['ignore', out, out] });
    closeSync(out);
    const child = this.child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    await this.waitUp(child);
  }

  private async waitUp(child?: ChildProcess): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child && child.exitCode !== null)
        throw new Error(`asterisk exited at start (${child.exitCode}); see ${this.layout.runDir}/console.log`);
      // A transport that could not bind never appears: no use waiting 30 s for it.
      if (child && BIND_FAILED.test(this.log())) throw new Error(`asterisk could not bind a port; see ${this.logFile}`);
      try {
        const r = await fetch(`${this.ariUrl}/ari/asterisk/info`, { headers: this.auth(), signal: AbortSignal.timeout(1000) });
        if (r.status === 200 && (await this.cli('pjsip show transports')).includes('transport-phones')) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`asterisk did not come up in 30 s; see ${this.logFile}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  auth(): Record<string, string> {
    return { authorization: `Basic ${Buffer.from(`${this.layout.ariUser}:${this.layout.ariPassword}`).toString('base64')}` };
  }

  async cli(command: string): Promise<string> {
    const bin = path.join(this.layout.prefix, 'sbin/asterisk');
    const { stdout } = await run(bin, ['-C', this.confPath, '-rx', command], { timeout: 10_000 });
    return stdout;
  }

  /** Kills the process (as a crash or `systemctl restart` would) and starts it again. */
  async restart(downMs = 500): Promise<void> {
    if (this.attached) {
      // Not our child: ask it to restart itself, then wait until it answers again.
      await this.cli('core restart now').catch(() => undefined);
      await new Promise((r) => setTimeout(r, downMs + 1000));
      return this.waitUp();
    }
    await this.kill();
    await new Promise((r) => setTimeout(r, downMs));
    await this.boot();
  }

  private async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  async stop(keepFiles = false): Promise<void> {
    if (this.attached) return;
    const child = this.child;
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await this.exited;
      clearTimeout(t);
    }
    if (!keepFiles && !process.env.DOZVON_TEST_KEEP_ASTERISK) rmSync(this.layout.runDir, { recursive: true, force: true });
  }
}
