import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { parseDatabaseUrl } from '@reliable-payments/config';
import { migrateDatabase } from './migrate-database';

const SERVER = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');

/** A migration slow enough that two runs started together overlap (as two instances of a service do). */
class CreateSlowTable1700000000001 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('SELECT SLEEP(0.5)');
    await runner.query('CREATE TABLE slow_table (id INT PRIMARY KEY)');
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE slow_table');
  }
}

class IndexSlowTable1700000000002 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE INDEX ix_slow ON slow_table (id)');
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX ix_slow ON slow_table');
  }
}

describe('migrateDatabase, three instances starting together', () => {
  const database = `t${randomBytes(4).toString('hex')}_migrate`;
  const url = new URL(SERVER);
  url.pathname = `/${database}`;
  const settings = parseDatabaseUrl(url.toString());
  const admin = () =>
    createConnection({
      host: SERVER.hostname,
      port: Number(SERVER.port || 3306),
      user: decodeURIComponent(SERVER.username || 'root'),
      password: decodeURIComponent(SERVER.password),
    });

  beforeAll(async () => {
    const connection = await admin();
    await connection.query(`CREATE DATABASE \`${database}\``);
    await connection.end();
  });
  afterAll(async () => {
    const connection = await admin();
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await connection.end();
  });

  it('take turns: every run succeeds and each migration ran once', async () => {
    const migrations = [CreateSlowTable1700000000001, IndexSlowTable1700000000002];
    const results = await Promise.allSettled([1, 2, 3].map(() => migrateDatabase(settings, migrations)));
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok']);
    const connection = await admin();
    const [rows] = await connection.query(`SELECT name FROM \`${database}\`.migrations ORDER BY id`);
    await connection.end();
    expect((rows as Array<{ name: string }>).map((r) => r.name)).toEqual(['CreateSlowTable1700000000001', 'IndexSlowTable1700000000002']);
  });
});
