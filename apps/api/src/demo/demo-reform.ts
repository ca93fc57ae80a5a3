import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { buildDemo } from '@dxtrain/server/demo-data';
import { planHeaders, ReorganisationService, viDate } from '@dxtrain/server/organisation';
import { Actor } from '@dxtrain/server/platform';
import { writeXlsx } from '@dxtrain/server/spreadsheets';

/**
 * The 2025 reform of the demo provinces, applied the way an administrator would: each plan is written as the
 * reorganisation XLSX and applied with the reorganisation tool (the same parsing, checks, transaction and
 * participants as an upload), so every fresh start exercises the tool. Idempotent: a plan already applied (by
 * name) is skipped.
 */
export async function applyDemoReform(app: INestApplicationContext, log: (msg: string) => void = () => undefined): Promise<number> {
  const db = app.get(DataSource);
  const reorganisation = app.get(ReorganisationService);
  const system = new Actor('system', 'system', null, []);
  let applied = 0;
  for (const plan of buildDemo().plans) {
    const [{ exists }] = (await db.query(`SELECT EXISTS (SELECT 1 FROM reorganisation_plans WHERE name = $1) AS exists`, [plan.name])) as Array<{ exists: boolean }>;
    if (exists) continue;
    // Only when the former provinces of this plan are there (a database seeded before the reform was modelled has none).
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM org_units WHERE code = $1 AND valid_to IS NULL`, [plan.rows[0]?.unit ?? ''])) as Array<{ n: number }>;
    if (n === 0) continue;
    const started = Date.now();
    const buffer = await writeXlsx([
      {
        name: 'Kế hoạch sắp xếp',
        headers: planHeaders('vi'),
        rows: plan.rows.map((r) => [r.action, r.unit, r.target, r.name, r.kind, viDate(r.date), r.assign]),
      },
    ]);
    const report = await reorganisation.fromFile(system, { buffer, originalname: `${plan.name}.xlsx` }, { dryRun: false, name: plan.name });
    if (!report.applied) throw new Error(`demo reform ${plan.province}: ${JSON.stringify(report.issues.slice(0, 5))}`);
    const t = report.totals;
    log(`Demo reform ${plan.province}: ${t.created} units created, ${t.closed} closed, ${t.abolished} abolished, ${t.people} people moved (${Date.now() - started} ms).`);
    applied++;
  }
  return applied;
}
