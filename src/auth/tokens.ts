import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a bearer token proves: a staff member, or an enterprise holding one application's query code. */
export type NewClaims =
  | { kind: 'staff'; sub: string; name: string; role: StaffRole; jurisdiction: string; department?: string }
  | { kind: 'enterprise'; sub: string; applicationId: string; uscc: string; name: string };
export type TokenClaims = NewClaims & { exp: number };

/** Staff roles: the window, the review chain (reviewer 承办/审查, chief 审核, leader 签发), the province, the administrator. */
export const STAFF_ROLES = ['clerk', 'reviewer', 'chief', 'leader', 'province-reviewer', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');

/** Signs and checks compact HMAC-SHA256 tokens (`payload.signature`): sign-in tokens that expire, and sealed values for one purpose. */
export function createTokenService(secret: string, ttlMinutes: number, now: () => Date = () => new Date()) {
  // A sealed value is signed with its purpose, so it never passes as a sign-in token or as a seal of another purpose.
  const sign = (payload: string, purpose?: string) => createHmac('sha256', secret).update(purpose ? `${purpose}\n${payload}` : payload).digest();
  const signed = (data: object, purpose?: string) => {
    const payload = b64(JSON.stringify(data));
    return `${payload}.${b64(sign(payload, purpose))}`;
  };
  /** The JSON object a token carries when its signature holds; null otherwise. */
  const opened = (token: string, purpose?: string): Record<string, unknown> | null => {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return null;
    const expected = sign(payload, purpose);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const data: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      return data && typeof data === 'object' ? (data as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  };
  return {
    issue(claims: NewClaims): { token: string; expiresAt: Date } {
      const exp = Math.floor(now().getTime() / 1000) + ttlMinutes * 60;
      return { token: signed({ ...claims, exp }), expiresAt: new Date(exp * 1000) };
    },
    /** The claims of a valid, unexpired token; null otherwise. */
    verify(token: string): TokenClaims | null {
      const claims = opened(token) as TokenClaims | null;
      return claims && claims.exp * 1000 > now().getTime() ? claims : null;
    },
    /** A signed, non-expiring value for `purpose` (e.g. the check a certificate's QR code carries). */
    seal: (purpose: string, data: Record<string, unknown>): string => signed(data, purpose),
    /** The data of a value sealed for `purpose`; null when it was altered or sealed for something else. */
    unseal: (purpose: string, token: string): Record<string, unknown> | null => opened(token, purpose),
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
