import { ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ErrorCode, Role } from '@dxtrain/shared/contracts';
import { Actor, DomainException, IS_PUBLIC_KEY, isInfrastructureError, REQUIRED_ROLES_KEY } from '@dxtrain/server/platform';

/**
 * The global guard: every route needs a valid access token unless marked `@Public()`, and
 * `@RequireRoles()` needs one of the roles on some unit (the service then checks the unit's scope).
 */
@Injectable()
export class GlobalAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super({ property: 'actor' });
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    await super.canActivate(context);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES_KEY, targets);
    const actor = context.switchToHttp().getRequest<{ actor: Actor }>().actor;
    if (roles && roles.length > 0 && !actor.hasRole(...roles)) throw DomainException.forbidden();
    return true;
  }

  /**
   * A bad or missing token arrives as `info` (401). An `err` is the strategy failing to load the user
   * (PostgreSQL or Redis down, a bug): never the token's fault, so never a 401 that would make the
   * browser drop a good session — an outage answers 503, anything else goes to the filter (500).
   */
  override handleRequest<T>(err: unknown, actor: T, info: unknown): T {
    if (err) throw err instanceof HttpException ? err : isInfrastructureError(err) ? DomainException.serviceUnavailable() : err;
    const noToken = info instanceof Error && info.message === 'No auth token';
    if (!actor) throw new DomainException(noToken ? ErrorCode.Unauthenticated : ErrorCode.TokenInvalid, 401);
    return actor;
  }
}
