import { Role } from '@dxtrain/shared/contracts';
import { Actor } from '@dxtrain/server/platform';

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** What an admin view (audit log, outbox, imports, accounts) shows the caller. */
export interface AdminScope {
  /**
   * Deployment-wide (a superadmin): every row, including those placed in no unit (old audit events and e-mail that
   * could not be traced to a unit). An admin of every province is not: a province added later would not be theirs.
   */
  all: boolean;
  /**
   * LIKE patterns ('<path>%') of the unit paths the caller reads: the subtrees of their admin grants, and the
   * closed units those were formed from (lineage, as `coversWithHistory`: a former province's rows belong to the
   * admin of the province it became). Empty without an admin grant, and when `all`.
   */
  patterns: string[];
}

export const NO_ADMIN_SCOPE: AdminScope = { all: false, patterns: [] };

/**
 * The caller's admin read scope (one query, none for a superadmin). Filter rows with
 * `<unit path> LIKE ANY($n::text[])` unless `all`; rows that belong to no unit are shown only when `all`.
 */
export async function adminScope(db: Queryable, actor: Actor): Promise<AdminScope> {
  if (actor.isSuperadmin) return { all: true, patterns: [] };
  const own = actor
    .scopePaths([Role.Admin])
    .filter((p) => p.length > 1)
    .map((p) => `${p}%`);
  if (own.length === 0) return NO_ADMIN_SCOPE;
  const [row] = (await db.query(
    `SELECT ARRAY(
              WITH RECURSIVE pre(id, n) AS (
                SELECT l.predecessor_id, 1 FROM org_unit_lineage l JOIN org_units s ON s.id = l.successor_id WHERE s.path LIKE ANY($1::text[])
                UNION SELECT l.predecessor_id, pre.n + 1 FROM pre JOIN org_unit_lineage l ON l.successor_id = pre.id WHERE pre.n < 20
              )
              SELECT DISTINCT u.path FROM pre JOIN org_units u ON u.id = pre.id
            ) AS history`,
    [own],
  )) as Array<{ history: string[] }>;
  const history = row.history.filter((p) => !own.some((o) => p.startsWith(o.slice(0, -1)))).map((p) => `${p}%`);
  return { all: false, patterns: [...own, ...history] };
}

/** The unit a materialised path ends in ('/root/…/unit/' → 'unit'). */
export function unitOfPath(path: string): string | null {
  const parts = path.split('/').filter(Boolean);
  return parts.length ? parts[parts.length - 1] : null;
}
