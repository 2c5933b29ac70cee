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
  return pino(
    {
      level,
      base: { svc: 'dozvon' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Belt and braces: even if a caller passes these keys, they never reach the log.
      redact: { paths: ['token', 'password', 'pin', 'authorization', '*.token', '*.password', '*.pin', '*.authorization', 'headers.authorization'], censor: '[redacted]' },
    },
    (opts.destination as pino.DestinationStream | undefined) ?? pino.destination({ sync: false }),
  );
}

/** A logger that drops everything (tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

export { maskPhone, maskEmail } from './mask';
