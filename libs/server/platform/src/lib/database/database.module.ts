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
        // A database host that drops packets (rather than refusing) must fail fast, so requests answer 503, not hang.
        extra: { max: config.DATABASE_POOL_SIZE, application_name: 'dxtrain', connectionTimeoutMillis: 5000 },
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
})
export class DatabaseModule {}
