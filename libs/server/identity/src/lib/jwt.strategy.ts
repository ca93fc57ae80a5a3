import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { DataSource } from 'typeorm';
import { Actor, AppConfig } from '@dxtrain/server/platform';
import { AccessTokenClaims, AuthService } from './auth.service';
import { UserEntity } from './user.entity';

export const JWT_ISSUER = 'dxtrain';

/** Verifies the bearer token, then loads the user and their grants fresh from the database. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.JWT_SECRET,
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  async validate(req: Request, claims: AccessTokenClaims): Promise<Actor | false> {
    const user = await this.db.getRepository(UserEntity).findOneBy({ id: claims.sub });
    if (!user || !user.active) return false;
    const grants = await this.auth.loadGrants(user.id);
    return new Actor(user.id, user.username, user.personId, grants, req.ip ?? null);
  }
}
