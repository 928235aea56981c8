import { DataSource } from 'typeorm';

/** `SELECT 1` bounded by `timeoutMs`: resolves when the database answers, rejects otherwise. */
export async function probeDatabase(dataSource: DataSource, timeoutMs = 2_000): Promise<void> {
  if (!dataSource.isInitialized) throw new Error('database not initialised');
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      dataSource.query('SELECT 1'),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs}ms`)), timeoutMs))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
