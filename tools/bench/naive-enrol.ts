// The naive way to import enrolments, for tools/bench/bulk-enrol.mjs: one ORM round trip per
// lookup and one ORM save per row (what a straightforward service loop does), on a sample.
//   ts-node tools/bench/naive-enrol.ts --database-url URL --file rows.csv --course-id ID --year 2026 --sample 2000
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { foldVietnamese, normaliseName, vietnameseNameSortKey } from '../../libs/shared/vietnamese/src';
import { EnrolmentEntity } from '../../libs/server/enrolment/src/lib/enrolment.entity';
import { OrgUnitEntity } from '../../libs/server/organisation/src/lib/org-unit.entity';
import { PersonEntity } from '../../libs/server/people/src/lib/person.entity';
import { EnrolmentSource, EnrolmentStatus } from '../../libs/shared/contracts/src';

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`--${name} is required`);
  return process.argv[i + 1];
}

async function main(): Promise<void> {
  const db = new DataSource({ type: 'postgres', url: arg('database-url'), entities: [OrgUnitEntity, PersonEntity, EnrolmentEntity] });
  await db.initialize();
  const lines = readFileSync(arg('file'), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean).slice(1);
  const sample = Math.min(Number(arg('sample')), lines.length);
  const courseId = arg('course-id');
  const year = Number(arg('year'));
  const started = process.hrtime.bigint();
  let ok = 0;
  for (const line of lines.slice(0, sample)) {
    const [staffCode, rawName, email, unitCode, position] = line.split(',');
    const fullName = normaliseName(rawName ?? '');
    if (!staffCode || !fullName) continue;
    const unit = await db.getRepository(OrgUnitEntity).findOneBy({ code: unitCode });
    if (!unit) continue;
    let person = await db.getRepository(PersonEntity).findOneBy({ provinceId: unit.rootId, staffCode });
    person = db.getRepository(PersonEntity).create({
      ...(person ?? {}),
      provinceId: unit.rootId,
      staffCode,
      fullName,
      email: email ? email.toLowerCase() : null,
      orgUnitId: unit.id,
      position: position || null,
      searchText: foldVietnamese(`${fullName} ${staffCode} ${email ?? ''}`),
      sortKey: vietnameseNameSortKey(fullName),
    });
    try {
      person = await db.getRepository(PersonEntity).save(person);
    } catch {
      continue; // e.g. an e-mail used by someone else
    }
    const existing = await db.getRepository(EnrolmentEntity).findOneBy({ personId: person.id, courseId, trainingYear: year });
    if (!existing) {
      await db.getRepository(EnrolmentEntity).save({ personId: person.id, courseId, trainingYear: year, source: EnrolmentSource.Import, status: EnrolmentStatus.Enrolled });
    }
    ok++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await db.destroy();
  console.log('RESULT ' + JSON.stringify({ rows: sample, ok, seconds, rowsPerSecond: sample / seconds }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
