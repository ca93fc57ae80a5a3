import { foldVietnamese, vietnameseNameSortKey } from '@dxtrain/shared/vietnamese';
import { PersonRow } from './people';
import { UnitRow } from './tree';

/** Anything with a `query(sql, params)`: a TypeORM DataSource, EntityManager or QueryRunner, or a pg Client. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/*
 * Bulk loading bypasses the ORM on purpose. An ORM save is one INSERT (plus a SELECT for generated
 * columns) per row: fine for a form, hopeless for 500,000 synthetic people. Instead each batch of
 * rows goes in as ONE statement, `INSERT ... SELECT FROM unnest($1::uuid[], $2::text[], ...)`, with
 * one array parameter per column, so the cost is dominated by PostgreSQL writing the rows and their
 * indexes. (COPY would be a little faster still, but needs pg-copy-streams, which is not installed.)
 * The derived columns (path, depth, root_id, search_text, sort_key) are computed here exactly as the
 * organisation and people services compute them.
 */
export const UNIT_BATCH = 10_000;
export const PEOPLE_BATCH = 10_000;

export async function insertUnits(db: Queryable, units: readonly UnitRow[], batch = UNIT_BATCH): Promise<void> {
  // Parents first, so the parent_id foreign key holds however the rows were built.
  const ordered = [...units].sort((a, b) => a.depth - b.depth);
  for (let i = 0; i < ordered.length; i += batch) {
    const b = ordered.slice(i, i + batch);
    await db.query(
      `INSERT INTO org_units (id, code, name, kind, parent_id, root_id, path, depth, search_text, valid_from, valid_to, merged_into_id, merged_at)
       SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::uuid[], $6::uuid[], $7::text[], $8::int[],
                            $9::text[], $10::date[], $11::date[], $12::uuid[], $13::date[])`,
      [
        b.map((u) => u.id), b.map((u) => u.code), b.map((u) => u.name), b.map((u) => u.kind), b.map((u) => u.parentId),
        b.map((u) => u.rootId), b.map((u) => u.path), b.map((u) => u.depth), b.map((u) => u.searchText), b.map((u) => u.validFrom),
        b.map((u) => u.validTo), b.map((u) => u.mergedIntoId), b.map((u) => u.mergedAt),
      ],
    );
  }
}

/**
 * people.search_text as the people service computes it: foldVietnamese(fullName + ' ' + staffCode + ' ' + (email ?? '')).
 * The name part is memoised (generated names repeat a lot); staff codes and e-mails are ASCII without spaces,
 * so folding them separately gives the same string.
 */
export function personSearchText(p: Pick<PersonRow, 'fullName' | 'staffCode' | 'email'>, foldCache?: Map<string, string>): string {
  let folded = foldCache?.get(p.fullName);
  if (folded === undefined) {
    folded = foldVietnamese(p.fullName);
    foldCache?.set(p.fullName, folded);
  }
  const raw = p.email ? `${p.staffCode} ${p.email}` : p.staffCode;
  // Plain printable ASCII (always so for generated codes and e-mails) only needs lower-casing.
  const tail = /^[\x21-\x7e]+( [\x21-\x7e]+)?$/.test(raw) ? raw.toLowerCase() : foldVietnamese(raw);
  return folded ? `${folded} ${tail}` : tail;
}

export async function insertPeople(db: Queryable, people: readonly PersonRow[], batch = PEOPLE_BATCH): Promise<void> {
  const foldCache = new Map<string, string>();
  const sortCache = new Map<string, string>();
  const sortKey = (name: string) => {
    let key = sortCache.get(name);
    if (key === undefined) {
      key = vietnameseNameSortKey(name);
      sortCache.set(name, key);
    }
    return key;
  };
  for (let i = 0; i < people.length; i += batch) {
    const b = people.slice(i, i + batch);
    await db.query(
      `INSERT INTO people (id, province_id, staff_code, full_name, email, phone, org_unit_id, position, network_category,
                           is_focal_point, active, deactivated_at, search_text, sort_key)
       SELECT u.id, u.province_id, u.staff_code, u.full_name, u.email, u.phone, u.org_unit_id, u.position, u.network_category,
              u.is_focal_point, u.active, CASE WHEN u.active THEN NULL ELSE now() - interval '90 days' END, u.search_text, u.sort_key
         FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::uuid[], $8::varchar[],
                     $9::varchar[], $10::bool[], $11::bool[], $12::text[], $13::text[])
           AS u(id, province_id, staff_code, full_name, email, phone, org_unit_id, position, network_category, is_focal_point, active,
                search_text, sort_key)`,
      [
        b.map((p) => p.id), b.map((p) => p.provinceId), b.map((p) => p.staffCode), b.map((p) => p.fullName), b.map((p) => p.email),
        b.map((p) => p.phone), b.map((p) => p.orgUnitId), b.map((p) => p.position), b.map((p) => p.networkCategory),
        b.map((p) => p.isFocalPoint), b.map((p) => p.active), b.map((p) => personSearchText(p, foldCache)), b.map((p) => sortKey(p.fullName)),
      ],
    );
  }
}
