import { SignJWT } from 'jose';

/**
 * A token signed with the server's own secret, as WearLink signs them, but with claims a forger chose:
 * what the auth layer must still refuse (a subject that is not a user id, a tampered `dev` claim).
 */
export function forgeJwt(
  jwtSecret: string,
  sub: string,
  audience: string,
  claims: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('wearlink')
    .setAudience(audience)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(jwtSecret));
}
