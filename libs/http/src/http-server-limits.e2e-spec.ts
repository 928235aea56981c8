import { Body, Controller, INestApplication, Module, Post } from '@nestjs/common';
import { connect } from 'node:net';
import { AddressInfo } from 'node:net';
import { startHttpApp } from './http-app';

@Controller('things')
class ThingsController {
  @Post()
  create(@Body() body: unknown) {
    return body;
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

/** Resolves with what the server sent before it closed the socket (or the deadline passed), and when. */
function stall(port: number, partialRequest: string, deadlineMs: number): Promise<{ answer: string; closed: boolean; afterMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ answer, closed, afterMs: Date.now() - started });
    };
    const timer = setTimeout(() => done(false), deadlineMs);
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => done(true));
    socket.on('error', () => undefined);
    socket.write(partialRequest);
  });
}

describe('HTTP app: where it listens (issue 20, finding 4)', () => {
  let app: INestApplication;
  afterEach(() => app?.close());

  it('listens on 127.0.0.1 unless told otherwise', async () => {
    app = await startHttpApp(ThingsModule, { port: 0, logger: false });
    expect((app.getHttpServer().address() as AddressInfo).address).toBe('127.0.0.1');
  });
});

describe('HTTP app: client time-outs (issue 20, finding 8)', () => {
  let app: INestApplication;
  let port: number;

  beforeAll(async () => {
    app = await startHttpApp(ThingsModule, {
      port: 0,
      logger: false,
      // Short time-outs keep the test fast; the defaults (30 s) are checked in http-server.config.spec.ts.
      http: { host: '127.0.0.1', requestTimeoutMs: 600, headersTimeoutMs: 400, keepAliveTimeoutMs: 500, connectionTimeoutMs: 5_000 },
    });
    port = (app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => app.close());

  it('answers 408 and closes a request whose body never completes', async () => {
    const head = 'POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":';
    const result = await stall(port, head, 4_000);
    expect(result.closed).toBe(true);
    expect(result.answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a request whose headers never complete', async () => {
    const result = await stall(port, 'GET /things HTTP/1.1\r\nHost: x\r\nX-Slow: ', 4_000);
    expect(result.closed).toBe(true);
  });

  it('frees 50 slow sockets at once, within the time-out and its checking interval', async () => {
    const head = 'POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{';
    const results = await Promise.all(Array.from({ length: 50 }, () => stall(port, head, 4_000)));
    expect(results.every((r) => r.closed)).toBe(true);
    expect(Math.max(...results.map((r) => r.afterMs))).toBeLessThan(3_000);
  });
});
