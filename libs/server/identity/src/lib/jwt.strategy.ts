import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Actor, AppConfig, HttpRequest } from '@dxtrain/server/platform';
import { AccessTokenClaims, AuthService } from './auth.service';

export const JWT_ISSUER = 'dxtrain';

/** Verifies the bearer token, refuses a signed-out session's token, then loads the user and their grants fresh from the database. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to parse it
      // as a public key on every request, which was a tenth of the api's CPU under load.
      secretOrKey: createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8')) as unknown as string,
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  /** Loads the user and their grants fresh from the database (one round trip), so a revoked grant stops at once. */
  async validate(req: HttpRequest, claims: AccessTokenClaims): Promise<Actor | false> {
    // Both at once: the session's deny-list entry (Redis) and the user with grants (PostgreSQL).
    const [denied, user] = await Promise.all([this.auth.sessionDenied(claims.sid), this.auth.loadActiveUser(claims.sub)]);
    if (denied) return false;
    return user ? new Actor(user.id, user.username, user.personId, user.grants, req.ip ?? null) : false;
  }

}
