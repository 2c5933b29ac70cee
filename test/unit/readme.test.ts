import { expect } from 'chai';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from '../../src/config/env-schema';

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
    for (const s of ['start', 'test', 'bench:cloud', 'bench:voice', 'bench:tts', 'bench:ha', 'sounds']) expect(pkg.scripts, s).to.have.property(s);
  });

  it('links only to docs that exist', () => {
    for (const [, path] of readme.matchAll(/\]\((docs\/[^)#]+)\)/g)) expect(existsSync(join(ROOT, path)), path).to.equal(true);
  });
});
