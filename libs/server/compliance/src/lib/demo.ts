import { DataSource } from 'typeorm';
import { ComplianceRefreshService } from './compliance-refresh.service';
import { vnYear } from './status';

/** Demo provinces (seeded by the demo-data library): today's, and the former ones they were formed from in 2025. */
const DEMO_ROOT_CODES = ['GL', 'TN', 'GL.CU', 'BD.CU', 'TN.CU', 'LA.CU'];

/**
 * Demo figures for the dashboard (idempotent): a default rule per demo province and year (at least 4
 * periods), and generated class completions for this year and the four before, rising year by year, so
 * that the trend to 2030 shows something (the demo people have been in their former units since always, and in
 * today's since the 2025 reform). Plain SQL: a few thousand rows in one statement per year.
 */
export async function seedComplianceDemo(db: DataSource, refresher?: ComplianceRefreshService, log: (m: string) => void = () => undefined): Promise<boolean> {
  const roots = (await db.query(
    `SELECT id, code, valid_from::text AS "validFrom", valid_to::text AS "validTo" FROM org_units WHERE parent_id IS NULL AND code = ANY($1::text[])`,
    [DEMO_ROOT_CODES],
  )) as Array<{ id: string; code: string; validFrom: string; validTo: string | null }>;
  if (roots.length === 0) return false;
  const current = vnYear();
  const [{ exists }] = (await db.query(`SELECT EXISTS (SELECT 1 FROM training_requirements WHERE org_unit_id = ANY($1::uuid[])) AS exists`, [roots.map((r) => r.id)])) as Array<{
    exists: boolean;
  }>;
  if (exists) return false;
  const years = [current - 4, current - 3, current - 2, current - 1, current];
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE person_unit_history h SET valid_from = '-infinity'
         FROM people p JOIN org_units u ON u.id = p.org_unit_id
        WHERE h.person_id = p.id AND h.valid_to IS NULL AND u.root_id = ANY($1::uuid[])
          AND NOT EXISTS (SELECT 1 FROM person_unit_history o WHERE o.person_id = h.person_id AND o.id <> h.id)`,
      [roots.map((r) => r.id)],
    );
    for (const year of years) {
      // A year's rule sits on the provinces that existed at its end (the former ones until 2024, today's from 2025).
      const end = `${year}-12-31`;
      for (const root of roots.filter((r) => r.validFrom <= end && (r.validTo === null || r.validTo >= end))) {
        await tx.query(
          `INSERT INTO training_requirements (training_year, org_unit_id, min_periods, deadline) VALUES ($1, $2, 4, $3)`,
          [year, root.id, `${year}-12-31`],
        );
      }
      // Share trained rises 35% → 50% → 62% → 71%, and 58% so far this year (a deterministic pick by hash of person and year).
      const share = [0.35, 0.5, 0.62, 0.71, 0.58][years.indexOf(year)];
      await tx.query(
        `INSERT INTO training_records (person_id, source_kind, source_id, title, completed_at, training_year, periods)
         SELECT p.id, 'class', gen_random_uuid(), 'Lớp tập huấn chuyển đổi số (dữ liệu mẫu)',
                LEAST(now() - interval '1 day', make_timestamptz($1, 3 + (abs(hashtext(p.id::text)) % 8), 1 + (abs(hashtext(p.id::text || 'd')) % 27), 9, 0, 0, 'Asia/Ho_Chi_Minh')),
                $1, CASE WHEN abs(hashtext(p.id::text || 'p')) % 10 = 0 THEN 2 ELSE 8 END
           FROM people p
          WHERE p.province_id = ANY($2::uuid[]) AND (abs(hashtext(p.id::text || $1::text)) % 1000) < $3`,
        [year, roots.map((r) => r.id), Math.round(share * 1000)],
      );
      await tx.query(`INSERT INTO compliance_refresh_state (training_year, dirty) VALUES ($1, true) ON CONFLICT (training_year) DO UPDATE SET dirty = true`, [year]);
    }
  });
  if (refresher) await refresher.refresh(years);
  log(`Demo coverage data: rules for ${roots.length} provinces × ${years.length} years, training records for ${years.length} years.`);
  return true;
}
