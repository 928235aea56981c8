import { createConnection } from 'mysql2/promise';
import { DatabaseSettings } from '@reliable-payments/config';

/** Creates the service's database if it does not exist yet (the server must be reachable). */
export async function ensureDatabase(settings: DatabaseSettings, connectTimeoutMs = 5_000): Promise<void> {
  const connection = await createConnection({
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password,
    connectTimeout: connectTimeoutMs,
  });
  try {
    // The name was validated as [a-zA-Z0-9_]{1,64} when the config was read.
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${settings.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await connection.end().catch(() => undefined);
  }
}
