import { Body, Controller, Get, HttpCode, HttpException, INestApplication, Module, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import { startHttpApp } from './http-app';
import { ZodValidationPipe } from './zod-validation.pipe';

const thingSchema = z.strictObject({ name: z.string().min(1) }, { message: 'must be a JSON object' });

@Controller('things')
class ThingsController {
  @Post()
  create(@Body(new ZodValidationPipe(thingSchema)) body: z.infer<typeof thingSchema>) {
    return body;
  }

  @Post(':id/act')
  @HttpCode(200)
  act(@Param('id') id: string) {
    return { acted: id };
  }

  @Get('plain-error')
  plainError() {
    throw new HttpException('refused in plain words', 409);
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

/** What everyday HTTP clients send to an action route, and what real bad input still gets. */
describe('HTTP app: request bodies and error shape', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    app = await startHttpApp(ThingsModule, { port: 0, logger: false });
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(() => app.close());

  async function send(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
    const res = await fetch(`${url}${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  it('accepts an action route with Content-Type: application/json and no body', async () => {
    expect(await send('POST', '/things/7/act', { 'content-type': 'application/json' }, '')).toEqual({ status: 200, body: { acted: '7' } });
  });

  it("accepts an action route with curl -X POST -d '' (form content type, empty body)", async () => {
    expect(await send('POST', '/things/7/act', { 'content-type': 'application/x-www-form-urlencoded' }, '')).toEqual({ status: 200, body: { acted: '7' } });
  });

  it("answers a malformed URL in the one error shape, without Fastify's extra `code`", async () => {
    const res = await fetch(`${url}/things/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(Object.keys((await res.json()) as object).sort()).toEqual(['error', 'message', 'statusCode']);
  });

  it('accepts an action route with no content type and no body', async () => {
    expect(await send('POST', '/things/7/act')).toEqual({ status: 200, body: { acted: '7' } });
  });

  it('still refuses a route that takes a body when it comes empty, with the status named in `error`', async () => {
    const res = await send('POST', '/things', { 'content-type': 'application/json' }, '');
    expect(res).toEqual({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'body: must be a JSON object' } });
  });

  it('refuses malformed JSON with 400 and the status name', async () => {
    const res = await send('POST', '/things/7/act', { 'content-type': 'application/json' }, '{"a":');
    expect(res).toEqual({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'request body is not valid JSON' } });
  });

  it('refuses a non-empty form body and other content types with 415', async () => {
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', 'name=x'],
      ['text/plain', 'hello'],
      ['application/xml', '<a/>'],
    ]) {
      const res = await send('POST', '/things', { 'content-type': type }, body);
      expect(res).toEqual({ status: 415, body: { statusCode: 415, error: 'Unsupported Media Type', message: 'request body must be application/json' } });
    }
  });

  it('refuses a body over the limit with 413', async () => {
    const res = await send('POST', '/things', { 'content-type': 'application/json' }, JSON.stringify({ name: 'x'.repeat(20_000) }));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('names the HTTP status in `error` for an exception thrown with a plain message, and for unknown routes', async () => {
    expect(await send('GET', '/things/plain-error')).toEqual({ status: 409, body: { statusCode: 409, error: 'Conflict', message: 'refused in plain words' } });
    expect((await send('GET', '/nowhere')).body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('rejects JSON with a __proto__ key (prototype poisoning)', async () => {
    const res = await send('POST', '/things', { 'content-type': 'application/json' }, '{"name":"x","__proto__":{"admin":true}}');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('Bad Request');
  });
});
