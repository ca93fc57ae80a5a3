// Helpers of tools/bench/certificates.mjs, run with ts-node against the scratch database:
//   issue   --count N --year-base Y [--concurrency C]   issues N certificates through CertificatesService
//            (transaction, serial, Ed25519 signature, render job on the queue) and prints JSON timing
//   render  --count M                                     renders M PDFs in this process, fonts reused vs
//            fonts parsed for every PDF (the naive way), and prints JSON PDFs/s for both
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CertificatesModule, CertificatesService, renderCertificatePdf } from '../../libs/server/certificates/src';
import { PlatformModule } from '../../libs/server/platform/src';

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`--${name} is required`);
  return v;
}

@Module({ imports: [PlatformModule, CertificatesModule] })
class BenchModule {}

async function issue(): Promise<void> {
  const count = Number(arg('count'));
  const yearBase = Number(arg('year-base'));
  const concurrency = Number(arg('concurrency', '8'));
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error', 'warn'] });
  const db = app.get(DataSource);
  const service = app.get(CertificatesService);
  const people: Array<{ id: string; full_name: string }> = await db.query(`SELECT id, full_name FROM people ORDER BY staff_code`);
  const courses: Array<{ id: string; title: string; periods: number; owner_unit_id: string; name: string; path: string }> = await db.query(
    `SELECT c.id, v.title, v.periods, c.owner_unit_id, u.name, u.path FROM courses c JOIN course_versions v ON v.id = c.published_version_id JOIN org_units u ON u.id = c.owner_unit_id`,
  );
  const combos = people.length * courses.length;
  const started = performance.now();
  let next = 0;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const person = people[i % people.length];
        const course = courses[Math.floor(i / people.length) % courses.length];
        const t0 = performance.now();
        await service.issue({
          personId: person.id,
          courseId: course.id,
          completionId: null,
          trainingYear: yearBase + Math.floor(i / combos),
          issuedAt: new Date(),
          holderName: person.full_name,
          courseTitle: course.title,
          periods: course.periods,
          ownerUnitId: course.owner_unit_id,
          ownerUnitName: course.name,
          ownerPath: course.path,
        });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(JSON.stringify({ issued: count, seconds, perSecond: count / seconds, p50ms: latencies[Math.floor(latencies.length / 2)], p95ms: latencies[Math.floor(latencies.length * 0.95)] }));
  await app.close();
}

async function render(): Promise<void> {
  const count = Number(arg('count'));
  const view = (i: number) => ({
    serial: `GL-2026-${String(i).padStart(6, '0')}`,
    version: 1,
    verificationCode: '7K2M9QXD4TRB',
    holderName: 'Nguyễn Thị Hương',
    courseTitle: 'Kỹ năng số cơ bản cho cán bộ, công chức',
    periods: 8,
    issuedAt: new Date(),
    issuerName: 'Tỉnh Gia Lai',
    place: 'Gia Lai',
    signerTitle: 'THỦ TRƯỞNG ĐƠN VỊ',
    signerName: '',
    expiresAt: null,
    verifyUrl: 'http://localhost:3000/verify/7K2M9QXD4TRB',
  });
  const time = async (reuseFonts: boolean) => {
    await renderCertificatePdf(view(0), { reuseFonts }); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < count; i++) await renderCertificatePdf(view(i), { reuseFonts });
    return count / ((performance.now() - t0) / 1000);
  };
  const naive = await time(false);
  const reused = await time(true);
  console.log(JSON.stringify({ count, naivePerSecond: naive, reusedPerSecond: reused }));
}

(process.argv[2] === 'render' ? render() : issue()).catch((e) => {
  console.error(e);
  process.exit(1);
});
