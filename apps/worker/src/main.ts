import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@dxtrain/server/platform';
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
  Logger.log('dxtrain worker started', 'Bootstrap');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
