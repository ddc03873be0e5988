import { errors, jwtVerify, SignJWT } from 'jose';

const issuer = 'wearlink';
/** Separate audiences so a dashboard session can never pass as an SDK token, or the reverse. */
const audiences = { developer: 'wearlink:dashboard', sdk: 'wearlink:sdk' } as const;

/**
 * Subjects are ids WearLink issued: lowercase UUIDs. Anything else in a correctly signed token (another
 * system sharing the secret, an old format) is refused here, not handed to a uuid column as a 500.
 */
const canonicalUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isId = (value: unknown): value is string => typeof value === 'string' && canonicalUuid.test(value);

/**
 * A dashboard session names the account (`developerId` is its `developers` row: a tenant's owner or a
 * team member; the token's subject). Its tenant and role are not in the token: they are read from the
 * database on every request (resolvePrincipal), so a role change or a removal holds at once.
 */
export type TokenClaims =
  | { kind: 'developer'; developerId: string }
  | { kind: 'sdk'; developerId: string; userId: string };

export interface IssuedToken {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
}

export class TokenService {
  readonly #key: Uint8Array;

  constructor(
    secret: string,
    private readonly developerTtlSeconds: number,
    private readonly sdkTtlSeconds: number,
  ) {
    this.#key = new TextEncoder().encode(secret);
  }

  issue(claims: TokenClaims): Promise<IssuedToken> {
    const ttl = claims.kind === 'developer' ? this.developerTtlSeconds : this.sdkTtlSeconds;
    const jwt = new SignJWT(claims.kind === 'sdk' ? { dev: claims.developerId } : {})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audiences[claims.kind])
      .setSubject(claims.kind === 'sdk' ? claims.userId : claims.developerId)
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`);
    return jwt
      .sign(this.#key)
      .then((token) => ({ access_token: token, token_type: 'bearer', expires_in: ttl }));
  }

  /** Returns the claims, or a reason the token is refused (expired, forged, malformed). */
  async verify(token: string): Promise<{ ok: true; claims: TokenClaims } | { ok: false; reason: string }> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        issuer,
        audience: [audiences.developer, audiences.sdk],
        algorithms: ['HS256'],
        requiredClaims: ['sub', 'exp'],
      });
      const sub = payload.sub;
      if (!isId(sub)) return { ok: false, reason: 'Invalid token' };
      if (
        payload.aud === audiences.sdk ||
        (Array.isArray(payload.aud) && payload.aud.includes(audiences.sdk))
      ) {
        if (!isId(payload.dev)) return { ok: false, reason: 'Invalid token' };
        return { ok: true, claims: { kind: 'sdk', developerId: payload.dev, userId: sub } };
      }
      return { ok: true, claims: { kind: 'developer', developerId: sub } };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: 'Token has expired' };
      return { ok: false, reason: 'Invalid token' };
    }
  }
}
