import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Role } from '@dxtrain/shared/contracts';
import { Actor } from './actor';

export const IS_PUBLIC_KEY = 'dxtrain:isPublic';
export const REQUIRED_ROLES_KEY = 'dxtrain:requiredRoles';

/** Marks a route as deliberately reachable without signing in. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/** The caller must hold at least one of these roles on some unit (scope is then checked by the service). */
export const RequireRoles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES_KEY, roles);

export const SIGNED_IN_KEY = 'dxtrain:signedIn';

/**
 * Any signed-in user may call it, because the answer depends on who asks: `scope` says how the service narrows it
 * ("own", "own or subtree", "audience"…). The declaration every guarded route carries is this or @RequireRoles; the
 * authorization matrix test fails on a route with neither.
 */
export const SignedIn = (scope: string) => SetMetadata(SIGNED_IN_KEY, scope);

/** The authenticated caller, set on the request by the global auth guard. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<{ actor?: Actor }>();
  if (!req.actor) throw new Error('CurrentActor used on a route without authentication');
  return req.actor;
});
