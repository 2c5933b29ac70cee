/** Human output on a terminal, JSON with --json; errors always on stderr. */
export interface Out {
  json: boolean;
  print(human: string, data?: unknown): void;
  error(message: string): void;
  progress(done: number, total: number, label: string): void;
}

export const EXIT = { ok: 0, failure: 1, usage: 2, config: 78 } as const;

export function makeOut(
  json: boolean,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): Out {
  const tty = Boolean((stdout as NodeJS.WriteStream).isTTY) && !process.env.NO_COLOR;
  const red = (s: string) => (tty ? `\x1b[31m${s}\x1b[0m` : s);
  return {
    json,
    print(human, data) {
      if (json) stdout.write(JSON.stringify(data ?? { message: human }) + '\n');
      else stdout.write(human + '\n');
    },
    error(message) {
      if (json) stderr.write(JSON.stringify({ error: message }) + '\n');
      else stderr.write(red(`error: ${message}`) + '\n');
    },
    progress(done, total, label) {
      if (json || !(stderr as NodeJS.WriteStream).isTTY) return;
      stderr.write(`\r${label} ${done}/${total}${done === total ? '\n' : ''}`);
    },
  };
}

/** A table of rows for humans: columns padded to their widest cell. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  const cells = rows.map((r) =>
    columns.map((c) => (r[c] === null || r[c] === undefined ? '' : Array.isArray(r[c]) ? (r[c] as unknown[]).join(',') : String(r[c]))),
  );
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n');
}
