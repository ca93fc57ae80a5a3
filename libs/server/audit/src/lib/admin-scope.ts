import { Role } from '@dxtrain/shared/contracts';
import { Actor } from '@dxtrain/server/platform';

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** What an admin view (audit log, outbox, imports, accounts) shows the caller. */
export interface AdminScope {
  /**
   * Deployment-wide: every row, including those placed in no unit (old audit events and e-mail that could not be
   * traced to a unit). For now an admin whose grants cover every open root unit.
   */
  all: boolean;
  /**
   * LIKE patterns ('<path>%') of the unit paths the caller reads: the subtrees of their admin grants, and the
   * closed units those were formed from (lineage, as `coversWithHistory`: a former province's rows belong to the
   * admin of the province it became). Empty without an admin grant.
   */
  patterns: string[];
}

export const NO_ADMIN_SCOPE: AdminScope = { all: false, patterns: [] };

/**
 * The caller's admin read scope, in one query. Filter rows with `<unit path> LIKE ANY($n::text[])` unless `all`;
 * rows that belong to no unit are shown only when `all`.
 */
export async function adminScope(db: Queryable, actor: Actor): Promise<AdminScope> {
  const paths = actor.scopePaths([Role.Admin]);
  if (paths.length === 0) return NO_ADMIN_SCOPE;
  const own = paths.map((p) => `${p}%`);
  const [row] = (await db.query(
    `SELECT NOT EXISTS (SELECT 1 FROM org_units r WHERE r.parent_id IS NULL AND r.valid_to IS NULL AND NOT (r.path LIKE ANY($1::text[]))) AS "all",
            ARRAY(
              WITH RECURSIVE pre(id, n) AS (
                SELECT l.predecessor_id, 1 FROM org_unit_lineage l JOIN org_units s ON s.id = l.successor_id WHERE s.path LIKE ANY($1::text[])
                UNION SELECT l.predecessor_id, pre.n + 1 FROM pre JOIN org_unit_lineage l ON l.successor_id = pre.id WHERE pre.n < 20
              )
              SELECT DISTINCT u.path FROM pre JOIN org_units u ON u.id = pre.id
            ) AS history`,
    [own],
  )) as Array<{ all: boolean; history: string[] }>;
  const history = row.history.filter((p) => !own.some((o) => p.startsWith(o.slice(0, -1)))).map((p) => `${p}%`);
  return { all: row.all, patterns: [...own, ...history] };
}

/** The unit a materialised path ends in ('/root/…/unit/' → 'unit'). */
export function unitOfPath(path: string): string | null {
  const parts = path.split('/').filter(Boolean);
  return parts.length ? parts[parts.length - 1] : null;
}
