/** Stable error codes a client can rely on, each with its HTTP status. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  // Four eyes: one person acted on another step of the review chain of this application.
  SAME_PERSON: 403,
  NOT_FOUND: 404,
  VERSION_CONFLICT: 409,
  EVENT_NOT_ALLOWED: 409,
  PRECONDITION_FAILED: 409,
  DUPLICATE: 409,
  // 好差评: the application was already rated at that stage; the first rating stays.
  ALREADY_EVALUATED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  CALENDAR_YEAR_MISSING: 422,
  INTERNAL: 500,
  STORE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The one error type of the service: a stable code, a message a person can act on, optional details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** Seconds a client is told to wait (Retry-After) when the store is unavailable; the supervisor restarts it within that. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/** The bilingual answer to any request that needs the store while it cannot be reached or cannot write. */
export function storeUnavailable(cause?: unknown): AppError {
  return new AppError('STORE_UNAVAILABLE', '存储暂不可用，请稍后重试 / The store is unavailable; retry shortly', { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS }, cause);
}

// Driver and mongoose errors that mean "the server cannot be reached now", not "the request is wrong".
const UNREACHABLE_NAMES = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
  'MongoServerClosedError',
  'MongoWaitQueueTimeoutError',
  'MongoOperationTimeoutError',
]);
// Server codes of a node shutting down or stepping down (MongoDB replica sets), and of a full disk.
const UNAVAILABLE_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436, 14031]);
// FerretDB passes SQLite's and the OS's words through: a full disk, a read-only file or folder, an I/O error.
const STORAGE_FAULT = /SQLITE_(FULL|READONLY|IOERR|CANTOPEN|BUSY)|database or disk is full|readonly database|read-only file system|disk I\/O error|no space left on device|ENOSPC|EROFS|buffering timed out|connection .* (closed|timed out)|client was closed/i;

/** Tells whether an error (or one of its causes) means the store is unreachable or cannot write, so the answer is 503. */
export function isStoreUnavailableError(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (isAppError(e)) {
      if (e.code === 'STORE_UNAVAILABLE') return true;
      continue;
    }
    const { name, code, message } = e as { name?: string; code?: unknown; message?: string };
    if (name && UNREACHABLE_NAMES.has(name)) return true;
    if (typeof code === 'number' && UNAVAILABLE_CODES.has(code) && /^Mongo/.test(name ?? '')) return true;
    if (typeof message === 'string' && STORAGE_FAULT.test(message)) return true;
  }
  return false;
}
