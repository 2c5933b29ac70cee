import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { parseYaml } from '../../../src/core/yaml';
import { SETTINGS } from '../../../src/config/env-schema';
import { loadConfig } from '../../../src/config';
import { runCli } from '../../../src/cli/program';
import { publicUrlWarning } from '../../../src/cli/serve';
import { parseDockerfile, readConf, interpolate, Instruction } from './files';

const ROOT = resolve(__dirname, '../../..');
const DOCKER = join(ROOT, 'docker');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  bin: Record<string, string>;
};

interface Service {
  build?: { context: string; dockerfile: string };
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  profiles?: string[];
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  entrypoint?: string[];
  healthcheck?: { test: string[] };
}
const compose = parseYaml(readFileSync(join(DOCKER, 'compose.yaml'), 'utf8'), 'compose.yaml') as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const dockerfile = parseDockerfile(readFileSync(join(DOCKER, 'Dockerfile'), 'utf8'));
const lastStage = Math.max(...dockerfile.map((i) => i.stage));
const inStage = (stage: number, op: string): Instruction[] => dockerfile.filter((i) => i.stage === stage && i.op === op);
const jsonArgs = (i: Instruction): string[] => JSON.parse(i.args) as string[];

/** The environment an operator gives compose: only the required secrets, everything else defaulted. */
const OPERATOR_ENV = { DOZVON_ARI_PASSWORD: 'test-ari-secret' };
const dozvonEnv = (): Record<string, string> =>
  Object.fromEntries(Object.entries(compose.services.dozvon.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), OPERATOR_ENV)]));

describe('docker: offline checks of docker/Dockerfile and docker/compose.yaml', () => {
  it('every file the compose file references exists', () => {
    const build = compose.services.dozvon.build!;
    const context = resolve(DOCKER, build.context);
    expect(context).to.equal(ROOT);
    expect(existsSync(join(context, build.dockerfile)), build.dockerfile).to.equal(true);
    const named = Object.keys(compose.volumes);
    let binds = 0;
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const v of svc.volumes ?? []) {
        const [src] = v.split(':');
        if (src.startsWith('.') || src.startsWith('/')) {
          binds++;
          expect(existsSync(resolve(DOCKER, src)), `${name}: ${src}`).to.equal(true);
        } else {
          expect(named, `${name}: named volume ${src}`).to.include(src);
        }
      }
    }
    expect(binds).to.be.greaterThan(5);
  });

  it('every file the Dockerfile copies from the context exists and is not ignored', () => {
    const ignore = readFileSync(join(DOCKER, 'Dockerfile.dockerignore'), 'utf8');
    const allowed = ignore
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1).replace(/\/\*\*$/, ''));
    const copies = dockerfile.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'));
    expect(copies.length).to.be.greaterThan(3);
    for (const c of copies) {
      const parts = c.args.split(' ');
      for (const src of parts.slice(0, -1)) {
        expect(existsSync(join(ROOT, src)), src).to.equal(true);
        expect(allowed, `${src} must be let through Dockerfile.dockerignore`).to.include(src);
      }
    }
  });

  it('environment names are real settings and the values pass config validation', () => {
    const known = new Set(SETTINGS.map((s) => s.name));
    const env = dozvonEnv();
    for (const name of Object.keys(env)) expect(known.has(name) || name === 'DOZVON_CONFIG', `${name} is not in SETTINGS`).to.equal(true);
    const cfg = loadConfig({ env });
    expect(cfg.ari.urls).to.deep.equal(['http://asterisk:8088']);
    expect(cfg.ari.password).to.equal('test-ari-secret');
    expect(cfg.db).to.deep.equal({ client: 'sqlite', filename: '/data/dozvon.sqlite' });
    expect(() => interpolate(String(compose.services.dozvon.environment!.DOZVON_ARI_PASSWORD), {})).to.throw(/DOZVON_ARI_PASSWORD/);
    for (const i of inStage(lastStage, 'ENV')) {
      for (const m of i.args.matchAll(/(DOZVON_[A-Z_]+)=/g)) expect(known.has(m[1]), m[1]).to.equal(true);
    }
  });

  it('ports agree: DOZVON_LISTEN, the published port, EXPOSE and the healthcheck', () => {
    const cfg = loadConfig({ env: dozvonEnv() });
    expect(cfg.listen.host).to.equal('0.0.0.0');
    const published = compose.services.dozvon.ports!.map((p) => Number(p.split(':')[1]));
    expect(published).to.deep.equal([cfg.listen.port]);
    const expose = inStage(lastStage, 'EXPOSE').map((i) => Number(i.args));
    expect(expose).to.deep.equal([cfg.listen.port]);
    const imageListen = /DOZVON_LISTEN=(\S+)/.exec(
      inStage(lastStage, 'ENV')
        .map((i) => i.args)
        .join(' '),
    )![1];
    expect(imageListen).to.equal(`0.0.0.0:${cfg.listen.port}`);
    const health = inStage(lastStage, 'HEALTHCHECK');
    expect(health).to.have.length(1);
    expect(health[0].args).to.include(`http://127.0.0.1:${cfg.listen.port}/readyz`);
  });

  it('the command is the CLI serve command of the built entry point', async () => {
    const cmd = jsonArgs(inStage(lastStage, 'CMD')[0]);
    expect(cmd).to.deep.equal(['node', 'dist/main.js', 'serve']);
    expect(compose.services.dozvon.command).to.deep.equal(cmd);
    // dist/main.js is what tsc emits for src/main.ts under tsconfig.build.json.
    const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
      compilerOptions: { rootDir: string; outDir: string };
    };
    expect(join(build.compilerOptions.outDir, 'main.js')).to.equal(join('dist', 'main.js'));
    expect(statSync(join(ROOT, build.compilerOptions.rootDir, 'main.ts')).isFile()).to.equal(true);
    let help = '';
    const stdout = new Writable({ write: (chunk, _e, cb) => ((help += String(chunk)), cb()) });
    const code = await runCli(['--help'], { env: {}, stdout, stderr: stdout });
    expect(code).to.equal(0);
    expect(help).to.match(/^\s+serve\b/m);
  });

  it('multi-stage: npm ci and npm run build with a compiler toolchain, a small non-root runtime with espeak-ng', () => {
    expect(lastStage).to.be.at.least(1);
    const buildRuns = dockerfile
      .filter((i) => i.stage < lastStage && i.op === 'RUN')
      .map((i) => i.args)
      .join('\n');
    for (const tool of ['python3', 'make', 'g++'])
      expect(buildRuns).to.match(new RegExp(`install[^\\n]*\\s${tool.replace('+', '\\+')}(\\s|$)`));
    expect(buildRuns).to.match(/\bnpm ci\b/);
    expect(buildRuns).to.match(/\bnpm run build\b/);
    expect(pkg.scripts.build).to.be.a('string');
    expect(buildRuns).to.match(/npm prune --omit=dev/);
    const runtimeRuns = inStage(lastStage, 'RUN')
      .map((i) => i.args)
      .join('\n');
    expect(runtimeRuns).to.match(/install[^\n]*\bespeak-ng\b/);
    expect(runtimeRuns).not.to.match(/\b(g\+\+|make|python3)\b/);
    expect(runtimeRuns).to.match(/rm -rf \/var\/lib\/apt\/lists/);
    const user = inStage(lastStage, 'USER').map((i) => i.args);
    expect(user).to.have.length(1);
    expect(user[0]).not.to.match(/^(root|0)(:|$)/);
    expect(
      dockerfile.filter((i) => i.stage === lastStage && i.op === 'COPY' && i.args.startsWith('--from')).map((i) => i.args),
    ).to.include.members(['--from=build /app/node_modules ./node_modules', '--from=build /app/dist ./dist']);
  });

  it('PostgreSQL only in the postgres profile; Asterisk from a named image with ARI unpublished', () => {
    expect(compose.services.postgres.profiles).to.deep.equal(['postgres']);
    expect(compose.services.dozvon.profiles).to.equal(undefined);
    expect(compose.services.asterisk.profiles).to.equal(undefined);
    expect(compose.services.asterisk.image).to.match(/^[\w.-]+\/asterisk:\S+$/);
    expect(compose.services.asterisk.ports!.join(' ')).not.to.include('8088');
    expect(compose.services.dozvon.depends_on).to.have.property('asterisk');
  });

  it('every secret and DOZVON_CONFIG pass through compose from docker/.env, and .env.example names them all', () => {
    const passed = SETTINGS.filter((x) => x.kind === 'secret' || x.kind === 'secret-list')
      .map((x) => x.name)
      .concat('DOZVON_CONFIG');
    const example = readFileSync(join(DOCKER, '.env.example'), 'utf8');
    const exampleKeys = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    for (const name of passed) {
      expect(String(compose.services.dozvon.environment![name]), name).to.match(new RegExp(`^\\$\\{${name}:[-?]`));
      expect(exampleKeys, `.env.example: ${name}`).to.include(name);
    }
    // Everything the example sets is something compose reads.
    const composeText = readFileSync(join(DOCKER, 'compose.yaml'), 'utf8');
    for (const key of exampleKeys) expect(composeText, key).to.include(`\${${key}`);
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8')).to.match(/^docker\/\.env$/m);
    // A given DOZVON_CONFIG is a path under the read-only /config mount; an empty one means none.
    expect(compose.services.dozvon.volumes).to.include('./config:/config:ro');
    const withFile = Object.fromEntries(
      Object.entries(compose.services.dozvon.environment!).map(([k, v]) => [
        k,
        interpolate(String(v), { ...OPERATOR_ENV, DOZVON_CONFIG: '/config/dozvon.yaml', DOZVON_HEARTBEAT_KEYS: 'hb-key-0123456789abcdef' }),
      ]),
    );
    expect(withFile.DOZVON_CONFIG).to.equal('/config/dozvon.yaml');
    expect(loadConfig({ env: withFile, readFile: () => 'DOZVON_CALLER_ID: Paging\n' }).callerId).to.equal('Paging');
    expect(loadConfig({ env: dozvonEnv(), readFile: () => 'DOZVON_CALLER_ID: Paging\n' }).callerId).to.not.equal('Paging');
  });

  it('in the postgres profile dozvon waits for PostgreSQL to be healthy; without the profile the dependency is skipped', () => {
    expect(compose.services.dozvon.depends_on!.postgres).to.deep.equal({ condition: 'service_healthy', required: false });
    expect(compose.services.postgres.healthcheck!.test.join(' ')).to.include('pg_isready');
  });

  it('the ARI password comes from the environment: Asterisk renders ari.conf from the tracked template at start', () => {
    const ast = compose.services.asterisk;
    expect(
      ast.volumes!.some((v) => v.split(':')[1] === '/etc/asterisk/ari.conf'),
      'ari.conf must not be mounted as is',
    ).to.equal(false);
    expect(ast.volumes).to.include('../dialplan/ari.conf:/etc/dozvon/ari.conf.template:ro');
    expect(ast.volumes).to.include('./asterisk/render-ari.sh:/etc/dozvon/render-ari.sh:ro');
    expect(ast.entrypoint).to.deep.equal(['/bin/sh', '/etc/dozvon/render-ari.sh']);
    expect(ast.command![0]).to.equal('/docker-entrypoint.sh');
    expect(() => interpolate(String(ast.environment!.DOZVON_ARI_PASSWORD), {})).to.throw(/DOZVON_ARI_PASSWORD/);
    // Run the script as the container would, into a temporary folder.
    const dir = mkdtempSync(join(tmpdir(), 'dozvon-ari-'));
    try {
      const target = join(dir, 'ari.conf');
      const script = join(DOCKER, 'asterisk', 'render-ari.sh');
      const base = { PATH: process.env.PATH ?? '', ARI_TEMPLATE: join(ROOT, 'dialplan', 'ari.conf'), ARI_CONF: target };
      const password = 'p&a\\s/s$1 "x"';
      const ok = spawnSync('sh', [script, 'sh', '-c', 'echo started'], {
        env: { ...base, DOZVON_ARI_PASSWORD: password },
        encoding: 'utf8',
      });
      expect(ok.status, ok.stderr).to.equal(0);
      expect(ok.stdout).to.equal('started\n');
      const rendered = readConf(target);
      expect(rendered.find((x) => x.name === 'dozvon')!.values.password).to.deep.equal([password]);
      const template = readFileSync(join(ROOT, 'dialplan', 'ari.conf'), 'utf8');
      expect(readFileSync(target, 'utf8').replace(password, 'CHANGE_ME_ARI_PASSWORD')).to.equal(template);
      const missing = spawnSync('sh', [script, 'true'], { env: { ...base, ARI_CONF: join(dir, 'none.conf') }, encoding: 'utf8' });
      expect(missing.status).to.equal(78);
      expect(missing.stderr).to.include('DOZVON_ARI_PASSWORD');
      expect(existsSync(join(dir, 'none.conf'))).to.equal(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // No document tells the operator to edit the tracked file any more.
    for (const doc of ['README.md', 'docs/operations.md', 'docs/asterisk.md'])
      expect(readFileSync(join(ROOT, doc), 'utf8'), doc).to.not.match(/sed -i[^\n]*dialplan\/ari\.conf/);
  });

  it('a public URL on 0.0.0.0 (docker run without DOZVON_PUBLIC_URL) is a start-up warning', () => {
    const imageListen = /DOZVON_LISTEN=(\S+)/.exec(
      inStage(lastStage, 'ENV')
        .map((i) => i.args)
        .join(' '),
    )![1];
    const bare = loadConfig({ env: { DOZVON_LISTEN: imageListen } });
    expect(publicUrlWarning(bare)).to.match(/DOZVON_PUBLIC_URL is http:\/\/0\.0\.0\.0:8080\/.*Set DOZVON_PUBLIC_URL/);
    expect(publicUrlWarning({ publicUrl: 'http://[::]:8080/' })).to.be.a('string');
    expect(publicUrlWarning(loadConfig({ env: dozvonEnv() }))).to.equal(null);
  });
});
