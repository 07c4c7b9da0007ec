import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a bearer token proves: a staff member, or an enterprise holding one application's query code. */
export type NewClaims =
  | { kind: 'staff'; sub: string; name: string; role: StaffRole; jurisdiction: string }
  | { kind: 'enterprise'; sub: string; applicationId: string; uscc: string; name: string };
export type TokenClaims = NewClaims & { exp: number };

export type StaffRole = 'clerk' | 'reviewer' | 'province-reviewer' | 'admin';

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');

/** Signs and checks compact HMAC-SHA256 tokens (`payload.signature`) that expire. */
export function createTokenService(secret: string, ttlMinutes: number, now: () => Date = () => new Date()) {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest();
  return {
    issue(claims: NewClaims): { token: string; expiresAt: Date } {
      const exp = Math.floor(now().getTime() / 1000) + ttlMinutes * 60;
      const payload = b64(JSON.stringify({ ...claims, exp }));
      return { token: `${payload}.${b64(sign(payload))}`, expiresAt: new Date(exp * 1000) };
    },
    /** The claims of a valid, unexpired token; null otherwise. */
    verify(token: string): TokenClaims | null {
      const [payload, signature, extra] = token.split('.');
      if (!payload || !signature || extra !== undefined) return null;
      const expected = sign(payload);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      try {
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
        return claims.exp * 1000 > now().getTime() ? claims : null;
      } catch {
        return null;
      }
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
