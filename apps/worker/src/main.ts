import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig, REDIS } from '@dxtrain/server/platform';
import { WorkerModule } from './app/worker.module';

/** The queue worker: a Nest application context (no HTTP) running BullMQ processors. Scale by running more. */
async function main(): Promise<void> {
  try {
    loadConfig();
  } catch (e) {
    console.error(e instanceof ConfigError ? e.message : e);
    process.exit(78);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule);
  app.enableShutdownHooks();
  heartbeat(app, process.env['WORKER_HEARTBEAT_FILE']);
  Logger.log('dxtrain worker started', 'Bootstrap');
}

/**
 * With WORKER_HEARTBEAT_FILE set (docker-compose's health check reads its age): every 10 s, when this
 * process's PostgreSQL pool and Redis connection both answer, the file gets the current time.
 */
function heartbeat(app: INestApplicationContext, file: string | undefined): void {
  if (!file) return;
  const db = app.get(DataSource);
  const redis = app.get<Redis>(REDIS);
  const beat = () =>
    Promise.all([db.query('SELECT 1'), redis.ping()])
      .then(() => writeFile(file, new Date().toISOString()))
      .catch(() => undefined); // no beat: the health check sees the file age
  void beat();
  setInterval(() => void beat(), 10_000).unref();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
