import { Module } from '@nestjs/common';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { QueueModule } from './queue/queue.module';
import { RedisModule } from './redis/redis.module';
import { FileStorageModule } from './storage/file-storage';

/** Config, PostgreSQL, Redis and queues: what both the api and the worker stand on. */
@Module({
  imports: [AppConfigModule, DatabaseModule, RedisModule, QueueModule, FileStorageModule],
  exports: [AppConfigModule, DatabaseModule, RedisModule, QueueModule, FileStorageModule],
})
export class PlatformModule {}
