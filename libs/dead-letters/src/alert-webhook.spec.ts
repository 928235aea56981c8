import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AlertWebhook, signAlert } from './alert-webhook';

/** A local receiver answering 503 to the first `failures` calls. */
async function receiver(failures: number) {
  const calls: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls.push({ headers: req.headers, body });
      res.writeHead(calls.length <= failures ? 503 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { calls, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((r) => server.close(r)) };
}

describe('AlertWebhook', () => {
  it('retries a failed call with back-off until it goes through', async () => {
    const r = await receiver(2);
    try {
      const webhook = new AlertWebhook({ url: r.url, attempts: 4, backoffMs: 5 });
      expect(await webhook.send({ alert: 'x' })).toBe(true);
      expect(r.calls).toHaveLength(3);
      expect(webhook.failures).toBe(0);
    } finally {
      await r.close();
    }
  });

  it('gives up after a bounded number of attempts and counts the failure', async () => {
    const r = await receiver(100);
    try {
      const webhook = new AlertWebhook({ url: r.url, attempts: 3, backoffMs: 5 });
      expect(await webhook.send({ alert: 'x' })).toBe(false);
      expect(r.calls).toHaveLength(3);
      expect(webhook.failures).toBe(1);
    } finally {
      await r.close();
    }
  });

  it('signs the timestamp and body with the shared secret, and sends no signature without one', async () => {
    const r = await receiver(0);
    try {
      await new AlertWebhook({ url: r.url, secret: 'a-shared-secret-123' }).send({ alert: 'signed' });
      await new AlertWebhook({ url: r.url }).send({ alert: 'unsigned' });
      const [signed, unsigned] = r.calls;
      expect(signed.headers['x-alert-signature']).toBe(signAlert('a-shared-secret-123', String(signed.headers['x-alert-timestamp']), signed.body));
      expect(unsigned.headers['x-alert-signature']).toBeUndefined();
    } finally {
      await r.close();
    }
  });
});
