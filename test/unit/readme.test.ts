import { expect } from 'chai';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { readdirSync } from 'node:fs';
import { SETTINGS } from '../../src/config/env-schema';
import { CSV_COLUMNS } from '../../src/directory/import-csv';

const ROOT = join(__dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README tells the truth', () => {
  it('documents every DOZVON_* setting in its configuration table, and nothing that does not exist', () => {
    const rows = [...readme.matchAll(/^\| `(DOZVON_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect([...rows].sort()).to.deep.equal(SETTINGS.map((s) => s.name).sort());
  });

  it('gives the two commands, and CI runs the same test command', () => {
    expect(readme).to.include('npm ci && npm start');
    expect(readme).to.match(/^npm test\b/m);
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    expect(ci).to.match(/^npm test$/m);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const s of ['start', 'test', 'bench:cloud', 'bench:voice', 'bench:tts', 'bench:ha', 'sounds'])
      expect(pkg.scripts, s).to.have.property(s);
  });

  it('links only to docs that exist', () => {
    for (const [, path] of readme.matchAll(/\]\((docs\/[^)#]+)\)/g)) expect(existsSync(join(ROOT, path)), path).to.equal(true);
  });

  it('links (README and docs) stay inside the repository and name files that exist', () => {
    const files = [
      'README.md',
      ...readdirSync(join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ];
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue;
        const abs = resolve(dirname(join(ROOT, file)), target);
        expect(relative(ROOT, abs).startsWith('..'), `${file} links ${target}, outside the repository`).to.equal(false);
        expect(existsSync(abs), `${file} links ${target}`).to.equal(true);
      }
    }
  });

  it('docs/asterisk.md lists every module dozvon needs: the ARI resources it calls and the HTTP media cache', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'asterisk.md'), 'utf8');
    const needed = [
      'res_ari',
      'res_ari_applications',
      'res_ari_asterisk',
      'res_ari_bridges',
      'res_ari_channels',
      'res_ari_events',
      'res_ari_playbacks',
      'res_ari_recordings',
      'res_ari_sounds',
      'res_stasis',
      'app_stasis',
      'res_http_websocket',
      'res_http_media_cache',
      'res_curl',
      'chan_pjsip',
    ];
    for (const m of needed) expect(doc, m).to.match(new RegExp(`\`${m}\``));
  });

  it('docs/console.md names the CSV columns the import reads, in its order', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'console.md'), 'utf8');
    expect(doc).to.include(`\`${CSV_COLUMNS.join(',')}\``);
  });
});
