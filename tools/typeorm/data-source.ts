import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../libs/server/platform/src/lib/database/migrations';

/** The DataSource of the TypeORM CLI (migration:generate); the apps build theirs in DatabaseModule. */
export default new DataSource({
  type: 'postgres',
  url: process.env['DATABASE_URL'],
  entities: [__dirname + '/../../libs/server/*/src/**/*.entity.ts'],
  migrations: MIGRATIONS,
  synchronize: false,
  uuidExtension: 'pgcrypto',
});
