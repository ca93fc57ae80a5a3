import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../../apps/worker/src/app/worker.module';

/** The real worker process, from source (ts-node), for tests that kill it mid-job. Prints "worker-ready". */
NestFactory.createApplicationContext(WorkerModule, {
  logger: (process.env['WORKER_LOG_LEVELS'] ?? 'error,warn').split(',') as Array<'log' | 'error' | 'warn' | 'debug'>,
})
  .then((app) => {
    app.enableShutdownHooks();
    console.log('worker-ready');
  })
  .catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
