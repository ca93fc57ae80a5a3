import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@dxtrain/server/audit';
import { PeopleModule } from '@dxtrain/server/people';
import { AppConfig } from '@dxtrain/server/platform';
import { AuthController, MeController, UsersController } from './auth.controller';
import { GlobalAuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { JWT_ISSUER, JwtStrategy } from './jwt.strategy';
import { LoginThrottleService } from './login-throttle.service';
import { RefreshTokenEntity } from './refresh-token.entity';
import { RoleGrantEntity } from './role-grant.entity';
import { UserEntity } from './user.entity';
import { UsersService } from './users.service';
import { GrantsReorganisationParticipant } from './reorganisation.participant';

/** Services only (no HTTP): what the worker needs from identity. */
@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity, RoleGrantEntity, RefreshTokenEntity]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // A KeyObject: jsonwebtoken would otherwise try to parse the string as an asymmetric key on every call.
        secret: createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8')) as unknown as string,
        signOptions: { algorithm: 'HS256', issuer: JWT_ISSUER, expiresIn: config.JWT_ACCESS_TTL_SECONDS },
      }),
    }),
    AuditModule,
    PeopleModule,
  ],
  providers: [AuthService, UsersService, LoginThrottleService],
  exports: [AuthService, UsersService],
})
export class IdentityCoreModule {}

/** Sign-in, tokens, /me, users and grants, and the global guard that protects every route. */
@Module({
  imports: [IdentityCoreModule, PassportModule],
  controllers: [AuthController, MeController, UsersController],
  providers: [JwtStrategy, { provide: APP_GUARD, useClass: GlobalAuthGuard }, GrantsReorganisationParticipant],
})
export class IdentityModule {}
