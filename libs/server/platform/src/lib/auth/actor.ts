import { Role } from '@dxtrain/shared/contracts';

export interface ActorGrant {
  role: Role;
  orgUnitId: string;
  /** Materialised path of the granted unit ('/<root id>/.../<unit id>/'). */
  path: string;
}

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

  hasRole(...roles: Role[]): boolean {
    return this.grants.some((g) => roles.includes(g.role));
  }

  /** Does a grant of one of `roles` cover the unit at `path`? */
  covers(path: string, roles: readonly Role[]): boolean {
    return this.grants.some((g) => roles.includes(g.role) && path.startsWith(g.path));
  }

  /** Path prefixes the actor may see under `roles`, with nested ones removed. */
  scopePaths(roles: readonly Role[]): string[] {
    const paths = [...new Set(this.grants.filter((g) => roles.includes(g.role)).map((g) => g.path))].sort();
    return paths.filter((p, i) => !paths.some((q, j) => j !== i && p !== q && p.startsWith(q)));
  }
}
