import { randomBytes } from 'node:crypto';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { ClassifyDeadLetters1765100000100 } from './classify-dead-letters.migration';
import { CreateDeadLetters1763700000500 } from './create-dead-letters.migration';
import { DeadLetter } from './dead-letter.entity';
import { DeadLettersService } from './dead-letters.service';
import { IndexDeadLetterGroups1765200000100 } from './index-dead-letters-groups.migration';
import { IndexDeadLettersRedrivenAt1763800000200 } from './index-dead-letters-redriven-at.migration';
import { RecordDeadLetterEdits1765100000200 } from './record-edits.migration';

// The test server (TEST_MYSQL_URL, as tools/harness/test-servers.ts reads it).
const SERVER = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
const MYSQL = {
  host: SERVER.hostname,
  port: Number(SERVER.port || 3306),
  user: decodeURIComponent(SERVER.username || 'root'),
  password: decodeURIComponent(SERVER.password),
};
const MIGRATIONS = [
  CreateDeadLetters1763700000500,
  IndexDeadLettersRedrivenAt1763800000200,
  ClassifyDeadLetters1765100000100,
  RecordDeadLetterEdits1765100000200,
  IndexDeadLetterGroups1765200000100,
];

/**
 * The listing reads a page's ids from the (status, id) index, then their rows (a deferred join),
 * and the groups read the (status, fingerprint, dead_lettered_at) index alone: both must answer
 * exactly what a plain scan of the table answers, page after page, with and without a status.
 */
describe('DeadLettersService on grown tables', () => {
  const database = `dl_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  let admin: Connection;
  let dataSource: DataSource;
  let service: DeadLettersService;

  beforeAll(async () => {
    admin = await createConnection(MYSQL);
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await admin.query(`USE \`${database}\``);
    dataSource = await new DataSource({
      type: 'mysql',
      ...MYSQL,
      username: MYSQL.user,
      database,
      timezone: 'Z',
      entities: [DeadLetter],
      migrations: MIGRATIONS,
    }).initialize();
    await dataSource.runMigrations();
    // 250 letters in 7 groups, every third one re-driven.
    await admin.query(
      `INSERT INTO dead_letters (dead_letter_key, message_id, original_queue, payload, properties, headers, reason, error_code, error_class, error_message,
                                 attempts, dead_lettered_at, status, redrive_class, fingerprint)
       SELECT SHA2(CONCAT('k', seq), 256), CONCAT('m', seq), 'q', '{}', '{}', '{}', 'retries-exhausted', 'E', 'transient', CONCAT('failure ', seq MOD 7), 5,
              '2026-01-01' + INTERVAL seq MINUTE, IF(seq MOD 3 = 0, 'REDRIVEN', 'PENDING'), 'exhausted', LPAD(seq MOD 7, 16, '0')
         FROM seq_1_to_250`,
    );
    service = new DeadLettersService(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await admin?.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin?.end();
  });

  const scan = async (where: string) =>
    ((await admin.query<RowDataPacket[]>(`SELECT id FROM dead_letters ${where} ORDER BY id`))[0] as RowDataPacket[]).map((r) => String(r.id));

  it.each([
    ['PENDING', "WHERE status = 'PENDING'"],
    ['REDRIVEN', "WHERE status = 'REDRIVEN'"],
    [undefined, ''],
  ] as const)('lists status %s page by page exactly as a scan orders them, with the total', async (status, where) => {
    const expected = await scan(where);
    const seen: string[] = [];
    for (let page = 1; ; page++) {
      const result = await service.list({ status, page, limit: 30 });
      expect(result.total).toBe(expected.length);
      if (result.items.length === 0) break;
      expect(result.items.every((item) => status === undefined || item.status === status)).toBe(true);
      seen.push(...result.items.map((item) => item.id));
    }
    expect(seen).toEqual(expected);
  });

  it.each([
    ['PENDING', "WHERE status = 'PENDING'"],
    ['REDRIVEN', "WHERE status = 'REDRIVEN'"],
    [undefined, ''],
  ] as const)('pages status %s by id (after) exactly as a scan orders them, ending with next null', async (status, where) => {
    const expected = await scan(where);
    const seen: string[] = [];
    let after: string | null = '0';
    let pages = 0;
    while (after !== null) {
      const result = await service.listAfter({ status, after, limit: 30 });
      expect(result.items.every((item) => status === undefined || item.status === status)).toBe(true);
      seen.push(...result.items.map((item) => item.id));
      after = result.next;
      pages++;
    }
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.floor(expected.length / 30) + 1);
  });

  it('groups the pending letters by fingerprint with their counts, first and last times and lowest id', async () => {
    const [rows] = await admin.query<RowDataPacket[]>(
      "SELECT fingerprint, COUNT(*) AS n, MIN(dead_lettered_at) AS firstAt, MAX(dead_lettered_at) AS lastAt, MIN(id) AS sampleId FROM dead_letters WHERE status = 'PENDING' GROUP BY fingerprint",
    );
    const { groups } = await service.groups();
    const byFingerprint = new Map(groups.map((g) => [g.fingerprint, g]));
    expect(groups).toHaveLength(rows.length);
    for (const row of rows) {
      expect(byFingerprint.get(row.fingerprint)).toMatchObject({
        count: Number(row.n),
        firstAt: new Date(row.firstAt).toISOString(),
        lastAt: new Date(row.lastAt).toISOString(),
        sampleId: String(row.sampleId),
      });
    }
  });

  it('the groups query reads the covering index alone, and the migration goes down and up again', async () => {
    const explain = async () =>
      (
        await admin.query<RowDataPacket[]>(
          "EXPLAIN SELECT fingerprint, COUNT(*), MIN(dead_lettered_at), MAX(dead_lettered_at), MIN(id) FROM dead_letters WHERE status = 'PENDING' GROUP BY fingerprint",
        )
      )[0] as RowDataPacket[];
    expect(String((await explain())[0].Extra)).toContain('Using index');
    const runner = dataSource.createQueryRunner();
    try {
      await new IndexDeadLetterGroups1765200000100().down(runner);
      expect(String((await explain())[0].Extra)).not.toContain('Using index;');
      await new IndexDeadLetterGroups1765200000100().up(runner);
      expect(String((await explain())[0].Extra)).toContain('Using index');
    } finally {
      await runner.release();
    }
  });
});
