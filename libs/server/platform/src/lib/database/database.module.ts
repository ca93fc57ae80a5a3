import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';

/**
 * One PostgreSQL connection pool per process. Entities are registered by each domain module
 * (`TypeOrmModule.forFeature`) and picked up by `autoLoadEntities`; the schema comes only from
 * migrations (`synchronize: false`, always).
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        type: 'postgres' as const,
        url: config.DATABASE_URL,
        autoLoadEntities: true,
        synchronize: false,
        uuidExtension: 'pgcrypto' as const,
        migrationsRun: false,
        migrations: MIGRATIONS,
        extra: { max: config.DATABASE_POOL_SIZE, application_name: 'dxtrain' },
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
})
export class DatabaseModule {}
