import { Role } from '@dxtrain/shared/contracts';

export interface ActorGrant {
  role: Role;
  /** '' for a deployment-wide (superadmin) grant, which has no unit. */
  orgUnitId: string;
  /** Materialised path of the granted unit ('/<root id>/.../<unit id>/'); '/' for a deployment-wide grant. */
  path: string;
}

/** The path a deployment-wide grant covers: every unit's path starts with it. */
export const DEPLOYMENT_PATH = '/';

/**
 * Who is calling, with their role grants. A grant on a unit covers that unit's whole subtree;
 * `covers()` is the one place that rule is written.
 */
export class Actor {
  constructor(
    readonly userId: string,
    readonly username: string,
    readonly personId: string | null,
    readonly grants: readonly ActorGrant[],
    readonly ip: string | null = null,
  ) {}

  /** A deployment-wide administrator (a superadmin grant, no unit). */
  get isSuperadmin(): boolean {
    return this.grants.some((g) => g.role === Role.Superadmin);
  }

  /** A superadmin holds every admin right everywhere. */
  private holds(g: ActorGrant, roles: readonly Role[]): boolean {
    return roles.includes(g.role) || (g.role === Role.Superadmin && roles.includes(Role.Admin));
  }

  hasRole(...roles: Role[]): boolean {
    return this.grants.some((g) => this.holds(g, roles));
  }

  /** Does a grant of one of `roles` cover the unit at `path`? */
  covers(path: string, roles: readonly Role[]): boolean {
    return this.grants.some((g) => this.holds(g, roles) && path.startsWith(g.path));
  }

  /** Path prefixes the actor may see under `roles`, with nested ones removed ('/' alone for a superadmin). */
  scopePaths(roles: readonly Role[]): string[] {
    const paths = [...new Set(this.grants.filter((g) => this.holds(g, roles)).map((g) => g.path))].sort();
    return paths.filter((p, i) => !paths.some((q, j) => j !== i && p !== q && p.startsWith(q)));
  }
}
