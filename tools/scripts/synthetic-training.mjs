// Training facts for the synthetic national organisation (tools/scripts/seed-synthetic.mjs, tools/bench/compliance.mjs):
// ~`records` training records over the last `years` calendar years (the share trained rising year by year; 60% course
// completions of 30 synthetic courses, 40% class completions; 2–8 periods each), this year's enrolments (25% of people),
// accounts for 20% of people with sign-ins, and one rule per province and year ("at least 8 periods").
// People are taken to have been in their units since always (their unit history starts at -infinity).
// Plain SQL, one INSERT … SELECT per year: millions of rows in a minute or two.
import pg from 'pg';

export async function generateTraining(databaseUrl, { records, years = 5, log = () => undefined }) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const t0 = Date.now();
  try {
    const current = Number(new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()));
    const month = Number(new Intl.DateTimeFormat('en', { month: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()));
    // Only the people loaded since the last run (seed:synthetic adds provinces on every run).
    await client.query(`CREATE TEMP TABLE fresh AS SELECT DISTINCT person_id AS id FROM person_unit_history WHERE valid_to IS NULL AND valid_from > '-infinity'`);
    const [{ n: people }] = (await client.query('SELECT count(*)::int AS n FROM fresh')).rows;
    if (people === 0) throw new Error('no new people: load the synthetic organisation first');
    await client.query(`UPDATE person_unit_history SET valid_from = '-infinity' WHERE valid_to IS NULL AND valid_from > '-infinity'`);
    const courses = Array.from({ length: 30 }, (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
    const first = current - years + 1;
    // Rising share: weights 0.6, 0.8, … normalised to a mean of 1 over the years.
    const weights = Array.from({ length: years }, (_, i) => 0.6 + (0.8 * i) / Math.max(1, years - 1));
    const mean = weights.reduce((a, b) => a + b, 0) / years;
    const perPersonYear = records / years / people;
    const SLOTS = Math.max(3, Math.ceil(perPersonYear * 2));
    let inserted = 0;
    for (let i = 0; i < years; i++) {
      const year = first + i;
      const p = Math.min(1, (perPersonYear * weights[i]) / mean / SLOTS);
      const lastMonth = year === current ? month : 12;
      const r = await client.query(
        `INSERT INTO training_records (person_id, source_kind, source_id, course_id, title, completed_at, training_year, periods)
         SELECT p.id, CASE WHEN k < 0.6 THEN 'course' ELSE 'class' END, gen_random_uuid(),
                CASE WHEN k < 0.6 THEN ($5::uuid[])[1 + floor(k / 0.6 * 30)::int] END,
                CASE WHEN k < 0.6 THEN 'Khoá học tổng hợp' ELSE 'Lớp tập huấn tổng hợp' END,
                make_timestamptz($1, 1 + floor(random() * $4)::int, 1 + floor(random() * 28)::int, 8, 0, 0, 'Asia/Ho_Chi_Minh'),
                $1, 2 + floor(random() * 7)::int
           FROM (SELECT f.id, random() AS k FROM fresh f CROSS JOIN generate_series(1, $2::int) g WHERE random() < $3) p`,
        [year, SLOTS, p, lastMonth, courses],
      );
      inserted += r.rowCount;
      await client.query(
        `INSERT INTO training_requirements (training_year, org_unit_id, min_periods, deadline)
         SELECT $1, u.id, 8, make_date($1, 12, 31) FROM org_units u
          WHERE u.parent_id IS NULL AND NOT EXISTS (SELECT 1 FROM training_requirements r WHERE r.org_unit_id = u.id AND r.training_year = $1)`,
        [year],
      );
      await client.query(`INSERT INTO compliance_refresh_state (training_year, dirty) VALUES ($1, true) ON CONFLICT (training_year) DO UPDATE SET dirty = true`, [year]);
      log(`  ${year}: ${r.rowCount} training records`);
    }
    const enr = await client.query(
      `INSERT INTO enrolments (person_id, course_id, training_year, source, status)
       SELECT id, ($2::uuid[])[1 + floor(random() * 30)::int], $1, 'rule', 'enrolled' FROM fresh WHERE random() < 0.25
       ON CONFLICT DO NOTHING`,
      [current, courses],
    );
    const users = await client.query(
      `INSERT INTO users (username, password_hash, display_name, person_id, last_login_at)
       SELECT 'syn-' || p.staff_code || '-' || left(p.id::text, 8), 'synthetic-no-login', p.full_name, p.id,
              CASE WHEN random() < 0.7 THEN now() - random() * interval '200 days' END
         FROM people p JOIN fresh f ON f.id = p.id WHERE random() < 0.2`,
    );
    // users.last_login_at fires the sign-in trigger only on UPDATE: record this year's sign-ins and some past years'.
    await client.query(
      `INSERT INTO person_sign_in_years (person_id, training_year)
       SELECT person_id, EXTRACT(YEAR FROM last_login_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::int FROM users WHERE last_login_at IS NOT NULL AND username LIKE 'syn-%'
       UNION SELECT u.person_id, y FROM users u CROSS JOIN generate_series($1::int, $2::int - 1) y WHERE u.username LIKE 'syn-%' AND random() < 0.5
       ON CONFLICT DO NOTHING`,
      [first, current],
    );
    for (const t of ['training_records', 'enrolments', 'users', 'person_unit_history', 'person_sign_in_years', 'training_requirements']) await client.query(`VACUUM ANALYZE ${t}`);
    return { records: inserted, enrolments: enr.rowCount, accounts: users.rowCount, years: [first, current], ms: Date.now() - t0 };
  } finally {
    await client.end();
  }
}
