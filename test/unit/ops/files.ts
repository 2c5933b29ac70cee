/** Readers for the ops files, enough for offline checks: Dockerfile instructions, Asterisk .conf sections, compose interpolation. */
import { readFileSync } from 'node:fs';

export interface Instruction {
  op: string;
  args: string;
  stage: number;
}

/** Instructions with continuation lines joined; `stage` counts FROM lines from 0. */
export function parseDockerfile(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  const out: Instruction[] = [];
  let stage = -1;
  for (const raw of joined.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`bad Dockerfile line: ${line}`);
    const op = m[1].toUpperCase();
    if (op === 'FROM') stage++;
    out.push({ op, args: m[2].replace(/\s+/g, ' ').trim(), stage });
  }
  return out;
}

export interface ConfSection {
  name: string;
  values: Record<string, string[]>;
}

/** Asterisk .conf: `[name]` sections of `key = value` (`=>` too); `;` starts a comment. Sections may repeat. */
export function parseConf(text: string): ConfSection[] {
  const sections: ConfSection[] = [];
  let current: ConfSection | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/;.*$/, '').trim();
    if (line === '') continue;
    const sec = /^\[([^\]]+)\]/.exec(line);
    if (sec) {
      current = { name: sec[1], values: {} };
      sections.push(current);
      continue;
    }
    const kv = /^([^=]+?)\s*=>?\s*(.*)$/.exec(line);
    if (!kv || !current) throw new Error(`bad conf line: ${raw}`);
    (current.values[kv[1]] ??= []).push(kv[2]);
  }
  return sections;
}

export function readConf(path: string): ConfSection[] {
  return parseConf(readFileSync(path, 'utf8'));
}

/** Compose-style `${VAR}`, `${VAR:-default}`, `${VAR:?message}` against `env`; `$$` is a literal `$`. */
export function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g,
    (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (whole === '$$') return '$';
      const v = env[name!];
      const unsetOrEmpty = v === undefined || (op?.startsWith(':') && v === '');
      if (op?.endsWith('-')) return unsetOrEmpty ? arg! : v!;
      if (op?.endsWith('?')) {
        if (unsetOrEmpty) throw new Error(`required variable ${name}: ${arg}`);
        return v!;
      }
      return v ?? '';
    },
  );
}
