/**
 * Logs as data for tests: a logger that keeps every line, and the checks a log line must pass
 * (no key written twice at any depth, none of the secrets a test created).
 */
import { PassThrough } from 'node:stream';
import { createLogger, Logger } from '../../src/core/log';

export interface CapturedLogs {
  logger: Logger;
  /** Every line written so far (waits for pino's asynchronous writes first). */
  lines(): Promise<string[]>;
}

export function captureLogs(level = 'trace'): CapturedLogs {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  return {
    logger: createLogger({ level, destination: out }),
    async lines() {
      await new Promise((r) => setImmediate(r));
      return chunks
        .join('')
        .split('\n')
        .filter((l) => l.trim() !== '');
    },
  };
}

/** Keys that appear twice in one JSON object of the line (JSON.parse would silently keep the last). */
export function repeatedKeys(line: string): string[] {
  const repeated: string[] = [];
  const stack: { keys: Set<string>; object: boolean; expectKey: boolean }[] = [];
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      let j = i + 1;
      let s = '';
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\') j++;
        s += line[j];
      }
      const top = stack[stack.length - 1];
      if (top?.object && top.expectKey) {
        if (top.keys.has(s)) repeated.push(s);
        top.keys.add(s);
        top.expectKey = false;
      }
      i = j;
    } else if (c === '{' || c === '[') stack.push({ keys: new Set(), object: c === '{', expectKey: c === '{' });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.object) top.expectKey = true;
    }
  }
  return repeated;
}
