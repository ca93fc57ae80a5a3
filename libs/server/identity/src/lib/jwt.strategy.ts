import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { DataSource } from 'typeorm';
import { Role } from '@dxtrain/shared/contracts';
import { Actor, AppConfig } from '@dxtrain/server/platform';
import { AccessTokenClaims } from './auth.service';

export const JWT_ISSUER = 'dxtrain';

/** Verifies the bearer token, then loads the user and their grants fresh from the database. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
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

  /** One round trip per request: the user and their grants (with each unit's path), fresh. */
  async validate(req: Request, claims: AccessTokenClaims): Promise<Actor | false> {
    const rows: Array<{ id: string; username: string; person_id: string | null; active: boolean; role: Role | null; org_unit_id: string | null; path: string | null }> = await this.db.query(
      `SELECT u.id, u.username, u.person_id, u.active, g.role, g.org_unit_id, o.path
         FROM users u
         LEFT JOIN role_grants g ON g.user_id = u.id
         LEFT JOIN org_units o ON o.id = g.org_unit_id
        WHERE u.id = $1`,
      [claims.sub],
    );
    const user = rows[0];
    if (!user || !user.active) return false;
    const grants = rows.filter((r) => r.role && r.org_unit_id && r.path).map((r) => ({ role: r.role as Role, orgUnitId: r.org_unit_id as string, path: r.path as string }));
    return new Actor(user.id, user.username, user.person_id, grants, req.ip ?? null);
  }
}
