#!/usr/bin/env node
// npm run test:adopt — the packages as a user gets them, in an app made from docs/getting-started.md.
//
//   1. build and `npm pack` the public packages; open every tarball and fail on a monorepo path
//      (`@app/`, `libs/`, `apps/`, a relative import leaving the package) or an undeclared import;
//   2. a fresh app under os.tmpdir(): the guide's `npm install` lines (our packages from the
//      tarballs, the rest from the registry, through a cache under /var/cache/reliable-payments),
//      and every code block of the guide that opens with `// file: <path>`;
//   3. `tsc`, then the app against the real broker and database, with its own database and queue
//      prefix: an order through the outbox to one shipment, two failures up two retry levels, a
//      poison order to one dead letter, re-driven once into one shipment;
//   4. stop it, drop the database, delete the queues and exchanges, remove the folder.
//
// Environment: RABBITMQ_URL (amqp://guest:guest@127.0.0.1:5672), TEST_MYSQL_URL
// (mysql://root@127.0.0.1:3306), ADOPT_KEEP=1 keeps the app's folder for a look.
/* global fetch */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { checkTarball, listPackages } from '../../tools/adopt/tarball-check.mjs';
import { guideFiles, guideInstalls } from '../../tools/adopt/guide.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const require = createRequire(path.join(root, 'package.json'));
const started = Date.now();
const step = (what) => console.log(`\n== adopt: ${what} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
const run = (cmd, args, options = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });

const AMQP_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const MYSQL_URL = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
const runId = `adopt${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const database = `${runId}_shop`;
const prefix = `${runId}.`;
const token = randomBytes(16).toString('hex');
const LADDER_MS = [300, 600];
const CACHE = process.env.ADOPT_CACHE ?? '/var/cache/reliable-payments/adopt';

const failures = [];
const expect = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${what}`);
  if (!ok) failures.push(what);
};

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rp-adopt-'));
  const app = path.join(work, 'shop');
  let child;
  try {
    step('build and pack the packages');
    run('npm', ['run', '--silent', 'build:packages'], { cwd: root });
    const packages = listPackages(root).filter((p) => !p.private);
    const tarballs = path.join(work, 'tarballs');
    fs.mkdirSync(tarballs);
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', tarballs, ...packages.map((p) => `--workspace=${p.dir}`)], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
    const tarballOf = new Map(packed.map((p) => [p.name, path.join(tarballs, p.filename)]));
    for (const pkg of packed) {
      const problems = checkTarball(tarballOf.get(pkg.name), work);
      expect(
        problems.length === 0,
        `${pkg.name}@${pkg.version}: ${pkg.entryCount} files, no monorepo path, every import declared${problems.length ? `\n      ${problems.join('\n      ')}` : ''}`,
      );
    }
    if (failures.length) return;

    step('a fresh app from docs/getting-started.md');
    const guide = fs.readFileSync(path.join(root, 'docs/getting-started.md'), 'utf8');
    const files = guideFiles(guide);
    const installs = guideInstalls(guide);
    expect(files.size >= 5, `the guide has ${files.size} file blocks (${[...files.keys()].join(', ')})`);
    const ours = installs.filter((name) => name.startsWith('@reliable-payments/'));
    const unknown = ours.filter((name) => !tarballOf.has(name));
    expect(unknown.length === 0, `the guide installs only packed packages${unknown.length ? ` (not packed: ${unknown.join(', ')})` : ''}`);
    // What `nest new` gives an app, and the compiler; then what the guide adds.
    const dependencies = { '@nestjs/common': '^12', '@nestjs/core': '^12', 'reflect-metadata': '^0.2', rxjs: '^7' };
    // Every packed package is offered, so a package the guide's ones depend on comes from its
    // tarball too, never from the registry (where it is not, or is someone else's).
    for (const [name, file] of tarballOf) dependencies[name] = `file:${file}`;
    for (const spec of installs.filter((name) => !name.startsWith('@reliable-payments/'))) {
      const at = spec.lastIndexOf('@');
      const [name, range] = at > 0 ? [spec.slice(0, at), spec.slice(at + 1)] : [spec, '*'];
      dependencies[name] = range;
    }
    fs.mkdirSync(app, { recursive: true });
    fs.writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify(
        {
          name: 'shop',
          version: '0.0.0',
          private: true,
          scripts: { build: 'tsc -p tsconfig.json' },
          dependencies,
          devDependencies: { typescript: '~6.0', '@types/node': '^20' },
        },
        null,
        2,
      ),
    );
    fs.writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'ES2023',
            lib: ['ES2023'],
            types: ['node'],
            emitDecoratorMetadata: true,
            experimentalDecorators: true,
            strict: true,
            strictPropertyInitialization: false,
            skipLibCheck: false,
            outDir: 'dist',
            rootDir: 'src',
          },
          include: ['src/**/*.ts'],
        },
        null,
        2,
      ),
    );
    for (const [file, text] of files) {
      const target = path.join(app, file);
      if (!target.startsWith(app + path.sep)) throw new Error(`guide block names a file outside the app: ${file}`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
    }

    step('npm install (tarballs and the registry)');
    fs.mkdirSync(CACHE, { recursive: true });
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--cache', path.join(CACHE, 'npm')], { cwd: app });
    const installed = fs.readdirSync(path.join(app, 'node_modules/@reliable-payments'));
    for (const name of installed) {
      const real = fs.realpathSync(path.join(app, 'node_modules/@reliable-payments', name));
      expect(real.startsWith(app + path.sep), `@reliable-payments/${name} is installed inside the app, not linked to the repository`);
    }

    step('tsc');
    run('npm', ['run', '--silent', 'build'], { cwd: app });

    step('run it against the broker and the database');
    const port = 20000 + Math.floor(Math.random() * 20000);
    const env = {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: `mysql://${MYSQL_URL.username || 'root'}${MYSQL_URL.password ? `:${MYSQL_URL.password}` : ''}@${MYSQL_URL.hostname}:${MYSQL_URL.port || 3306}/${database}`,
      RABBITMQ_URL: AMQP_URL,
      AMQP_NAME_PREFIX: prefix,
      OPERATOR_TOKEN: token,
      WAREHOUSE_FAILURES: '2',
      RETRY_LADDER_MS: LADDER_MS.join(','),
    };
    const log = fs.createWriteStream(path.join(work, 'app.log'));
    child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    let exited;
    child.on('exit', (code, signal) => (exited = { code, signal }));
    const http = async (method, url, body) => {
      const response = await fetch(`http://127.0.0.1:${port}${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, body: await response.json().catch(() => undefined) };
    };
    const waitFor = async (what, probe, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (exited)
          throw new Error(
            `the app exited (${JSON.stringify(exited)}) while waiting for ${what}; see ${path.join(work, 'app.log')}:\n${fs.readFileSync(path.join(work, 'app.log'), 'utf8').slice(-4000)}`,
          );
        const value = await probe().catch(() => undefined);
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    await waitFor('the app to listen', async () => (await http('GET', '/dead-letters')).status === 200, 60_000);

    const mysql = require('mysql2/promise');
    const db = await mysql.createConnection({
      host: MYSQL_URL.hostname,
      port: Number(MYSQL_URL.port || 3306),
      user: MYSQL_URL.username || 'root',
      password: MYSQL_URL.password,
      database,
    });
    const rows = async (sql, params = []) => (await db.query(sql, params))[0];
    try {
      const book = await http('POST', '/orders', { sku: 'book' });
      expect(book.status === 201, `POST /orders {sku: book} → ${book.status}`);
      const shipment = await waitFor(
        'the book to ship',
        async () => (await rows('SELECT * FROM shipments WHERE order_id = ?', [book.body.orderId]))[0],
        30_000,
      );
      const outbox = await rows('SELECT message_id, sent_at FROM outbox_messages');
      expect(outbox.length === 1 && outbox[0].sent_at !== null, 'the outbox row committed with the order and was marked sent after the confirm');
      expect(
        shipment.attempt === 3,
        `the warehouse failed twice: shipped at attempt ${shipment.attempt} after two retry levels (${LADDER_MS.join(' ms, ')} ms)`,
      );

      const poster = await http('POST', '/orders', { sku: 'poster' });
      expect(poster.status === 201, `POST /orders {sku: poster} → ${poster.status}`);
      const letter = await waitFor('the poster order to be stored as a dead letter', async () => {
        const list = await http('GET', '/dead-letters');
        return list.body?.items?.find?.((item) => JSON.stringify(item).includes('UNKNOWN_SKU')) ?? (list.body?.items?.length ? list.body.items[0] : undefined);
      });
      expect(JSON.stringify(letter).includes('UNKNOWN_SKU'), `the dead letter says why: ${JSON.stringify(letter).slice(0, 300)}`);
      await db.query("INSERT INTO catalog (sku) VALUES ('poster')");
      const redrive = await http('POST', `/dead-letters/${letter.id}/redrive`);
      expect(redrive.status === 200, `POST /dead-letters/${letter.id}/redrive → ${redrive.status}`);
      await waitFor('the re-driven poster order to ship', async () => (await rows('SELECT * FROM shipments WHERE order_id = ?', [poster.body.orderId]))[0]);
      const again = await http('POST', `/dead-letters/${letter.id}/redrive`);
      expect(again.status >= 400 && again.status < 500, `a second re-drive of the same letter is refused (${again.status})`);

      // Exactly once, each: settle a moment past the longest retry delay, then count.
      await new Promise((resolve) => setTimeout(resolve, LADDER_MS.at(-1) * 2));
      const shipments = await rows('SELECT order_id, COUNT(*) AS n FROM shipments GROUP BY order_id');
      expect(shipments.length === 2 && shipments.every((s) => Number(s.n) === 1), `one shipment per order (${shipments.length} orders shipped)`);
      const inbox = await rows('SELECT message_id, COUNT(*) AS n FROM inbox_messages GROUP BY message_id');
      expect(inbox.length === 2 && inbox.every((r) => Number(r.n) === 1), 'one inbox row per message');
      const letters = await rows('SELECT status FROM dead_letters');
      expect(letters.length === 1 && letters[0].status === 'REDRIVEN', `one dead letter, re-driven (${JSON.stringify(letters)})`);
      const sent = await rows('SELECT COUNT(*) AS n FROM outbox_messages WHERE sent_at IS NOT NULL');
      expect(Number(sent[0].n) === 2, 'two events published through the outbox');
    } finally {
      await db.end();
    }
  } finally {
    step('clean up');
    await cleanUp(child, app);
    if (process.env.ADOPT_KEEP) console.log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

async function cleanUp(child, app) {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => {
      const timer = setTimeout(() => (child.kill('SIGKILL'), resolve()), 15_000);
      child.on('exit', () => (clearTimeout(timer), resolve()));
    });
  }
  const mysql = require('mysql2/promise');
  const admin = await mysql
    .createConnection({ host: MYSQL_URL.hostname, port: Number(MYSQL_URL.port || 3306), user: MYSQL_URL.username || 'root', password: MYSQL_URL.password })
    .catch(() => undefined);
  if (admin) {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``).catch(() => undefined);
    await admin.end();
  }
  // The names the app declared, from the installed package's own pure functions.
  let queues = [];
  let exchanges = [];
  try {
    const messaging = createRequire(path.join(app, 'package.json'))('@reliable-payments/messaging');
    const queue = `${prefix}shipping.order-placed`;
    queues = messaging.consumerQueueNames(queue, LADDER_MS);
    exchanges = [`${prefix}shop.events`, ...messaging.consumerExchangeNames(queue)];
  } catch {
    // The app was never installed: it declared nothing.
  }
  const amqp = require('amqplib');
  const connection = await amqp.connect(AMQP_URL).catch(() => undefined);
  if (connection) {
    connection.on('error', () => undefined);
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    for (const name of queues) await channel.deleteQueue(name).catch(() => undefined);
    for (const name of exchanges) await channel.deleteExchange(name).catch(() => undefined);
    await connection.close().catch(() => undefined);
  }
}

main()
  .catch((error) => {
    failures.push(error instanceof Error ? error.message : String(error));
    console.error(error);
  })
  .finally(() => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (failures.length) {
      console.error(`\nadopt: FAILED in ${seconds}s:\n  ${failures.join('\n  ')}`);
      process.exitCode = 1;
    } else console.log(`\nadopt: passed in ${seconds}s`);
  });
