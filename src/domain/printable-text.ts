/**
 * Text people read (names, reasons, notes) must not carry control characters or bidi overrides,
 * which can make a clerk read something other than what is stored.
 */
export const PRINTABLE_TEXT = /^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u;
