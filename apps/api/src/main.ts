import 'reflect-metadata';
import cluster from 'node:cluster';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { ComplianceRefreshService, seedComplianceDemo } from '@dxtrain/server/compliance';
import { seedDemoData } from '@dxtrain/server/demo-data';
import { AppConfig, ConfigError, loadConfig, runMigrations } from '@dxtrain/server/platform';
import { AppModule } from './app/app.module';
import { APP_OPTIONS, configureApp, createHttpAdapter } from './app/configure-app';
import { seedDemoClasses } from './demo/demo-classes';
import { applyDemoReform } from './demo/demo-reform';
import { seedDemoCourses } from './demo/demo-courses';

/** `node main.js setup`: apply migrations and load the demo data once (idempotent), then exit. */
async function setup(config: AppConfig): Promise<void> {
  const applied = await runMigrations(config.DATABASE_URL);
  console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date.');
  if (process.env['DEMO_DATA'] === 'false') return;
  const dataSource = new DataSource({ type: 'postgres', url: config.DATABASE_URL });
  await dataSource.initialize();
  try {
    const result = await seedDemoData(dataSource, { password: process.env['DEMO_PASSWORD'] ?? 'dxtrain-demo', log: (m) => console.log(m) });
    console.log(result.created ? `Demo data loaded: ${result.units} units, ${result.people} people.` : 'Demo data already present.');
  } finally {
    await dataSource.destroy();
  }
  // Demo courses go through the domain services (the full application context, Redis included).
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  try {
    await applyDemoReform(app, (m) => console.log(m));
    await seedDemoCourses(app, (m) => console.log(m));
    await seedDemoClasses(app, (m) => console.log(m));
    await seedComplianceDemo(app.get(DataSource), app.get(ComplianceRefreshService), (m) => console.log(m));
  } finally {
    await app.close();
  }
}

async function serve(config: AppConfig): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createHttpAdapter(config), { ...APP_OPTIONS, bufferLogs: false });
  await configureApp(app);
  // Fastify listens on localhost unless told otherwise: every interface (IPv6 and IPv4), as Express did.
  await app.listen(config.PORT, '::');
  Logger.log(`dxtrain api listening on http://localhost:${config.PORT} (OpenAPI: /api/docs)`, 'Bootstrap');
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    console.error(e instanceof ConfigError ? e.message : e);
    process.exit(78);
  }
  if (process.argv[2] === 'setup') await setup(config);
  else if (config.API_PROCESSES > 1 && cluster.isPrimary) fork(config.API_PROCESSES);
  else await serve(config);
}

/** The cluster primary: N api processes on one port; one that dies is replaced; SIGTERM/SIGINT stop them all. */
function fork(n: number): void {
  let stopping = false;
  const start = () => cluster.fork();
  for (let i = 0; i < n; i++) start();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`api process ${worker.process.pid} exited (${signal ?? code}); starting another`);
    setTimeout(start, 1000);
  });
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 10_000).unref();
    cluster.on('exit', () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
