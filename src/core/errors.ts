/**
 * One error family for the whole service. Retry decisions read only `temporary`
 * (GoAlert's retry.IsTemporaryError idea): a network blip or a 5xx is worth another
 * try, a 403 or a malformed request is not.
 */
export class AppError extends Error {
  readonly code: string;
  readonly temporary: boolean;
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, opts: { temporary?: boolean; cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.temporary = opts.temporary ?? false;
    this.details = opts.details;
  }
}

/** Client input that failed validation: always permanent, mapped to 400 by routers. */
export class ValidationError extends AppError {
  readonly field?: string;
  constructor(message: string, field?: string) {
    super('invalid', message, { temporary: false });
    this.name = 'ValidationError';
    this.field = field;
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('not-found', `${what} not found`, { temporary: false });
    this.name = 'NotFoundError';
  }
}

/** True when retrying may help. Unknown errors count as temporary: better one retry too many than a lost page. */
export function isTemporary(err: unknown): boolean {
  if (err instanceof AppError) return err.temporary;
  return true;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
