import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { DataSource, IsNull } from 'typeorm';
import { AuditAction, CurrentUser, ErrorCode, LoginResponse, Role } from '@dxtrain/shared/contracts';
import { AuditService } from '@dxtrain/server/audit';
import Redis from 'ioredis';
import { ActorGrant, AppConfig, DEPLOYMENT_PATH, DomainException, REDIS } from '@dxtrain/server/platform';
import { LoginSource, LoginThrottleService } from './login-throttle.service';
import { RefreshTokenEntity } from './refresh-token.entity';
import { UserEntity } from './user.entity';

export interface AccessTokenClaims {
  sub: string;
  username: string;
  /** The session (refresh-token family): signing out or a detected refresh reuse denies every access token of it. */
  sid?: string;
}

/** Redis key marking a signed-out session: its access tokens are refused until they would have expired anyway. */
export const deniedSessionKey = (sid: string) => `auth:denied-session:${sid}`;

export interface IssuedSession {
  response: LoginResponse;
  refreshToken: string;
  refreshExpiresAt: Date;
}

export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** 429 for a delayed sign-in source: `retryAfterSeconds` in the details (and, from the controller, a Retry-After header). */
export class LoginThrottledException extends DomainException {
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super(ErrorCode.TooManyAttempts, 429, [{ field: 'retryAfterSeconds', message: String(retryAfterSeconds) }], {
      vi: `Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${minutes} phút.`,
      en: `Too many failed sign-in attempts. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    });
  }
}

/** Sign-in, token refresh with rotation and reuse detection, sign-out. */
@Injectable()
export class AuthService {
  /** Verified against when the username is unknown, so both paths cost the same. */
  private dummyHash: Promise<string> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  static hashPassword(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_OPTIONS);
  }

  /**
   * Sign-in throttled per (account, source) (see LoginThrottleService): a delayed source gets
   * `LoginThrottledException` (429, `retryAfterSeconds`), whatever the password.
   */
  async login(rawUsername: string, password: string, source: LoginSource): Promise<IssuedSession> {
    const username = rawUsername.trim().toLowerCase();
    const ip = source.ip;
    const attempt = await this.throttle.attempt(username, source);
    if (attempt.retryAfterSeconds > 0) {
      await this.audit.record(null, { userId: null, username, ip }, {
        action: AuditAction.LoginFailed,
        entityType: 'user',
        after: { reason: 'throttled', retryAfterSeconds: attempt.retryAfterSeconds, knownDevice: attempt.knownDevice },
      });
      throw new LoginThrottledException(attempt.retryAfterSeconds);
    }
    const user = await this.db.getRepository(UserEntity).findOneBy({ username });
    const valid = user
      ? await argon2.verify(user.passwordHash, password).catch(() => false)
      : await argon2.verify(await this.getDummyHash(), password).then(() => false, () => false);
    if (!user || !valid) {
      await this.throttle.failed(attempt);
      await this.audit.record(null, { userId: user?.id ?? (null), username, ip }, {
        action: AuditAction.LoginFailed,
        entityType: 'user',
        entityId: user?.id ?? null,
        after: { reason: 'invalid_credentials' },
      });
      throw new DomainException(ErrorCode.InvalidCredentials, 401);
    }
    if (!user.active) throw new DomainException(ErrorCode.AccountDisabled, 403);
    await this.throttle.succeeded(attempt);
    await this.db.getRepository(UserEntity).update({ id: user.id }, { lastLoginAt: new Date() });
    await this.audit.record(null, { userId: user.id, username, ip }, { action: AuditAction.LoginSucceeded, entityType: 'user', entityId: user.id });
    return this.issue(user, randomUUID());
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= AuthService.hashPassword(randomBytes(16).toString('hex'));
    return this.dummyHash;
  }

  /** Rotates a refresh token. Presenting an already-used token revokes its whole family. */
  async refresh(refreshToken: string | undefined): Promise<IssuedSession> {
    if (!refreshToken) throw new DomainException(ErrorCode.RefreshTokenInvalid, 401);
    const repo = this.db.getRepository(RefreshTokenEntity);
    const stored = await repo.findOneBy({ tokenHash: sha256(refreshToken) });
    if (!stored) throw new DomainException(ErrorCode.RefreshTokenInvalid, 401);
    // Revoke atomically: of two concurrent uses of one token, only one wins.
    const claimed = await repo
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()' })
      .where('id = :id AND revoked_at IS NULL AND expires_at > now()', { id: stored.id })
      .execute();
    if (!claimed.affected) {
      if (stored.revokedAt) await this.revokeFamily(stored.familyId);
      throw new DomainException(ErrorCode.RefreshTokenInvalid, 401);
    }
    const user = await this.db.getRepository(UserEntity).findOneBy({ id: stored.userId });
    if (!user || !user.active) throw new DomainException(ErrorCode.RefreshTokenInvalid, 401);
    return this.issue(user, stored.familyId);
  }

  async logout(refreshToken: string | undefined): Promise<void> {
    if (!refreshToken) return;
    const stored = await this.db.getRepository(RefreshTokenEntity).findOneBy({ tokenHash: sha256(refreshToken) });
    if (!stored) return;
    await this.revokeFamily(stored.familyId);
    await this.audit.record(null, { userId: stored.userId, username: null, ip: null }, {
      action: AuditAction.Logout,
      entityType: 'user',
      entityId: stored.userId,
    });
  }

  /**
   * Ends a session: its refresh tokens are revoked, and its access tokens (valid up to JWT_ACCESS_TTL_SECONDS more)
   * are denied in Redis, so a stolen token dies with the session. Redis unreachable: the sign-out fails (503), it is
   * never reported done while its tokens still work.
   */
  private async revokeFamily(familyId: string): Promise<void> {
    await this.redis.set(deniedSessionKey(familyId), '1', 'EX', this.config.JWT_ACCESS_TTL_SECONDS + 60);
    await this.db.getRepository(RefreshTokenEntity).update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Is this access token's session signed out? Throws when Redis cannot answer (the guard answers 503, never a silent pass). */
  async sessionDenied(sid: string | undefined): Promise<boolean> {
    if (!sid) return false;
    return (await this.redis.exists(deniedSessionKey(sid))) === 1;
  }

  /** Deletes refresh tokens that expired more than `olderThanDays` ago (worker job). */
  async purgeExpiredRefreshTokens(olderThanDays: number): Promise<number> {
    const result = await this.db.query(`DELETE FROM refresh_tokens WHERE expires_at < now() - make_interval(days => $1)`, [olderThanDays]);
    return Number(result?.[1] ?? 0);
  }

  private async issue(user: UserEntity, familyId: string): Promise<IssuedSession> {
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshExpiresAt = new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_DAYS * 86400_000);
    await this.db.getRepository(RefreshTokenEntity).insert({
      userId: user.id,
      familyId,
      tokenHash: sha256(refreshToken),
      expiresAt: refreshExpiresAt,
      revokedAt: null,
    });
    const claims: AccessTokenClaims = { sub: user.id, username: user.username, sid: familyId };
    const accessToken = await this.jwt.signAsync(claims);
    const grants = await this.loadGrants(user.id);
    return {
      response: { accessToken, expiresIn: this.config.JWT_ACCESS_TTL_SECONDS, user: this.currentUser(user, grants) },
      refreshToken,
      refreshExpiresAt,
    };
  }

  currentUser(user: UserEntity, grants: readonly ActorGrant[]): CurrentUser {
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      personId: user.personId,
      // A superadmin holds every admin right: the web app shows it the admin's pages too.
      roles: [...new Set(grants.flatMap((g) => (g.role === Role.Superadmin ? [Role.Superadmin, Role.Admin] : [g.role])))] as Role[],
    };
  }

  /** The user's grants with the materialised path of each granted unit. */
  async loadGrants(userId: string): Promise<ActorGrant[]> {
    return (await this.loadActiveUser(userId))?.grants ?? [];
  }

  /**
   * An active user and their grants (with each unit's path), fresh, in one round trip: the global
   * guard runs this on every request. Null for an unknown or deactivated user.
   */
  async loadActiveUser(userId: string): Promise<{ id: string; username: string; personId: string | null; grants: ActorGrant[] } | null> {
    const rows: Array<{ id: string; username: string; person_id: string | null; active: boolean; role: Role | null; org_unit_id: string | null; path: string | null }> = await this.db.query(
      `SELECT u.id, u.username, u.person_id, u.active, g.role, g.org_unit_id, o.path
         FROM users u
         LEFT JOIN role_grants g ON g.user_id = u.id
         LEFT JOIN org_units o ON o.id = g.org_unit_id
        WHERE u.id = $1`,
      [userId],
    );
    const user = rows[0];
    if (!user || !user.active) return null;
    const grants = rows
      .filter((r) => r.role && ((r.org_unit_id && r.path) || (r.role === Role.Superadmin && r.org_unit_id === null)))
      .map((r) => (r.role === Role.Superadmin ? { role: Role.Superadmin, orgUnitId: '', path: DEPLOYMENT_PATH } : { role: r.role as Role, orgUnitId: r.org_unit_id as string, path: r.path as string }));
    return { id: user.id, username: user.username, personId: user.person_id, grants };
  }
}
