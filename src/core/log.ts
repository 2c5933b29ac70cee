/**
 * The only file that imports pino. JSON lines, one per state change; callers make child
 * loggers per module and per call/job. Nothing here ever receives a token or a whole number:
 * use maskPhone / maskEmail before logging.
 */
import pino from 'pino';

export type Logger = pino.Logger;

export interface LogOptions {
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to capture lines. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LogOptions = {}): Logger {
  const level = opts.level ?? 'info';
  const root = pino(
    {
      level,
      base: { svc: 'dozvon' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Belt and braces: even if a caller passes these keys, they never reach the log.
      redact: {
        paths: ['token', 'password', 'pin', 'authorization', '*.token', '*.password', '*.pin', '*.authorization', 'headers.authorization'],
        censor: '[redacted]',
      },
      hooks: { logMethod: uniqueLineKeys },
    },
    (opts.destination as pino.DestinationStream | undefined) ?? pino.destination({ sync: false }),
  );
  return withUniqueBindings(root);
}

/**
 * One key per field in every line. pino appends a child's bindings to its parent's, so
 * `child({mod:'a'}).child({mod:'b'})` would write "mod" twice. Every logger descends from the
 * root, so replacing `child` there covers them all: a child that rebinds a key is built from the
 * root with the merged bindings (the nearest binding wins, as a JSON reader would see it).
 */
function withUniqueBindings(root: Logger): Logger {
  type ChildFn = (this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => Logger;
  const plainChild = root.child as unknown as ChildFn;
  const rootKeys = keysOf(root);
  const child: ChildFn = function (this: Logger, bindings, options) {
    const parentKeys = keysOf(this);
    const added = Object.keys(bindings);
    if (!added.some((k) => parentKeys.has(k))) {
      const c = plainChild.call(this, bindings, options);
      boundKeys.set(c, new Set([...parentKeys, ...added]));
      return c;
    }
    const merged: pino.Bindings = {};
    for (const [k, v] of Object.entries({ ...this.bindings(), ...bindings })) if (!rootKeys.has(k)) merged[k] = v;
    return plainChild.call(root, merged, { level: this.level, ...options });
  };
  root.child = child as unknown as typeof root.child;
  return root;
}

/**
 * The keys a logger's lines carry from its bindings. Known for every child made above without
 * reading them back: pino's bindings() parses its JSON each time, and children are made per page
 * and per call, many at once in a burst.
 */
const boundKeys = new WeakMap<object, Set<string>>();

function keysOf(logger: Logger): Set<string> {
  let keys = boundKeys.get(logger);
  if (!keys) boundKeys.set(logger, (keys = new Set(Object.keys(logger.bindings()))));
  return keys;
}

/**
 * The other way a key repeats: a line's own field named like a binding (a hotline call bound to
 * its caller `from`, then a state change `{from, to}`). The line's field is renamed with a
 * trailing underscore so neither value hides the other; code should pick distinct names.
 */
function uniqueLineKeys(this: Logger, args: Parameters<pino.LogFn>, method: pino.LogFn): void {
  const first = args[0] as unknown;
  if (first !== null && typeof first === 'object' && !(first instanceof Error)) {
    const keys = keysOf(this);
    const obj = first as Record<string, unknown>;
    if (Object.keys(obj).some((k) => keys.has(k))) {
      const renamed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(obj)) {
        let key = k;
        while (keys.has(key) || key in renamed) key += '_';
        renamed[key] = v;
      }
      args[0] = renamed as never;
    }
  }
  method.apply(this, args as Parameters<pino.LogFn>);
}

/** A logger that drops everything (tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

export { maskPhone, maskEmail } from './mask';
