/** Durations as operators write them in YAML: `90s`, `5m`, `1h`, `1d`, `1h30m`, or a bare number of seconds. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds, or null when the text is not a duration. */
export function parseDuration(input: string | number): number | null {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? Math.round(input * 1000) : null;
  const s = input.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m.index !== consumed) return null;
    total += Number(m[1]) * UNIT_MS[m[2]];
    consumed = m.index + m[0].length;
  }
  if (consumed === 0 || consumed !== s.length) return null;
  return Math.round(total);
}

/** `600` → `10m`, `5400` → `1h30m`: the inverse of parseDuration for messages. */
export function formatSeconds(totalS: number): string {
  if (totalS <= 0) return '0s';
  const parts: string[] = [];
  let rest = Math.round(totalS);
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('');
}
