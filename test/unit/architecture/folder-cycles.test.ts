import { expect } from 'chai';
import { join } from 'node:path';
import { cycles, explain, fileEdges, folderOf, type Edge } from './import-graph';

const SRC = join(__dirname, '..', '..', '..', 'src');
const edges = fileEdges(SRC);
const folderEdges = (list: readonly Edge[]): Edge[] =>
  list.map((e) => ({ from: folderOf(e.from), to: folderOf(e.to) })).filter((e) => e.from !== e.to);

describe('import direction in src/', () => {
  it('finds a cycle through three folders and names the files that close it', () => {
    const synthetic: Edge[] = [
      { from: 'a/x.ts', to: 'b/y.ts' },
      { from: 'b/y.ts', to: 'c/z.ts' },
      { from: 'c/z.ts', to: 'a/w.ts' },
      { from: 'c/z.ts', to: 'd/leaf.ts' },
    ];
    const found = cycles(folderEdges(synthetic));
    expect(found).to.deep.equal([['a', 'b', 'c']]);
    const text = explain(found[0], synthetic, folderOf);
    expect(text).to.include('c -> a: c/z.ts imports a/w.ts');
    expect(text).to.not.include('leaf');
  });

  it('finds a file importing itself and two separate circles, and nothing in a tree', () => {
    expect(cycles([{ from: 'a.ts', to: 'a.ts' }])).to.deep.equal([['a.ts']]);
    const two = cycles([
      { from: 'p', to: 'q' },
      { from: 'q', to: 'p' },
      { from: 'r', to: 's' },
      { from: 's', to: 'r' },
      { from: 'q', to: 'r' },
    ]);
    expect(two).to.have.deep.members([
      ['p', 'q'],
      ['r', 's'],
    ]);
    expect(
      cycles([
        { from: 'top', to: 'left' },
        { from: 'top', to: 'right' },
        { from: 'left', to: 'right' },
      ]),
    ).to.deep.equal([]);
  });

  it('reads type imports and type re-exports of the real tree as edges', () => {
    // A cycle through types alone still ties two folders: the checker must see them.
    expect(
      edges.some((e) => e.from === 'cloud/deps.ts' && e.to === 'directory/users-repo.ts'),
      'import type',
    ).to.equal(true);
    expect(
      edges.some((e) => e.from === 'verify/index.ts' && e.to === 'verify/confirm.ts'),
      'export type … from',
    ).to.equal(true);
  });

  it('has no cycle between the top-level folders', () => {
    const found = cycles(folderEdges(edges));
    expect(found.map((c) => explain(c, edges, folderOf)).join('\n')).to.equal('');
  });

  it('has no cycle between files', () => {
    const found = cycles(edges);
    expect(found.map((c) => explain(c, edges, (f) => f)).join('\n')).to.equal('');
  });

  it('keeps the config loader above the features: only entry points and the settings console read it', () => {
    // Features get their own section passed in; importing the loader would tie every feature to every other.
    const allowed = (file: string) => ['app.ts', 'main.ts', 'cli', 'compose', 'console', 'config'].includes(folderOf(file));
    const bad = edges.filter((e) => folderOf(e.to) === 'config' && !allowed(e.from)).map((e) => `${e.from} imports ${e.to}`);
    expect(bad).to.deep.equal([]);
  });

  it('keeps db/ feature-agnostic: it imports only core/ and itself', () => {
    const bad = edges
      .filter((e) => folderOf(e.from) === 'db' && !['db', 'core'].includes(folderOf(e.to)))
      .map((e) => `${e.from} imports ${e.to}`);
    expect(bad).to.deep.equal([]);
  });
});
