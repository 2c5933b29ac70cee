/**
 * The import graph of src/, read with TypeScript's own pre-processor so that `import type`,
 * re-exports and dynamic imports all count: a cycle through types still ties two folders together.
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

export interface Edge {
  from: string;
  to: string;
}

/** Every .ts file under root, as paths relative to root with forward slashes. */
export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(relative(root, abs).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** Relative specifiers resolved to files under root; packages and node: modules are not ours. */
export function fileEdges(root: string): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(root)) {
    const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    for (const ref of info.importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const target = resolveSpecifier(join(root, dirname(file)), ref.fileName);
      if (!target) throw new Error(`${file} imports ${ref.fileName}, which resolves to no file`);
      edges.push({ from: file, to: relative(root, target).split(sep).join('/') });
    }
  }
  return edges;
}

function resolveSpecifier(fromDir: string, spec: string): string | null {
  const base = resolve(fromDir, spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** A file's top-level folder; the files at the top (main.ts, app.ts) are nodes of their own. */
export function folderOf(file: string): string {
  const i = file.indexOf('/');
  return i < 0 ? file : file.slice(0, i);
}

/** Strongly connected components with more than one node, or one node importing itself (Tarjan). */
export function cycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, new Set());
    if (!next.has(e.to)) next.set(e.to, new Set());
    next.get(e.from)!.add(e.to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || next.get(v)!.has(v)) found.push(component.sort());
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

/** One line per edge inside a component, naming the file-level imports that create it. */
export function explain(component: readonly string[], edges: readonly Edge[], nodeOf: (file: string) => string): string {
  const members = new Set(component);
  const lines = new Map<string, string[]>();
  for (const e of edges) {
    const a = nodeOf(e.from);
    const b = nodeOf(e.to);
    if (a === b && component.length > 1) continue;
    if (!members.has(a) || !members.has(b)) continue;
    const key = `${a} -> ${b}`;
    if (!lines.has(key)) lines.set(key, []);
    lines.get(key)!.push(`${e.from} imports ${e.to}`);
  }
  return [`cycle: ${component.join(', ')}`, ...[...lines].sort().map(([k, why]) => `  ${k}: ${why.join('; ')}`)].join('\n');
}
