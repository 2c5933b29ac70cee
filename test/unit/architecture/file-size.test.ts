import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..', '..', '..', 'src');

function lines(file: string): number {
  return readFileSync(file, 'utf8').split('\n').length - 1;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('file sizes in src/', () => {
  it('the composition root stays a list that reads in one screen or two (app.ts under 120 lines)', () => {
    expect(lines(join(SRC, 'app.ts'))).to.be.below(120);
  });

  it('no file passes 520 lines: a file that long holds more than one concern', () => {
    const long = tsFiles(SRC)
      .map((f) => ({ file: relative(SRC, f), n: lines(f) }))
      .filter((x) => x.n > 520)
      .map((x) => `${x.file}: ${x.n} lines`);
    expect(long).to.deep.equal([]);
  });
});
