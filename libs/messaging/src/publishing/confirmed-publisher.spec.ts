import { Logger } from '@nestjs/common';
import type { ChannelModel } from 'amqplib';
import { EventEmitter } from 'node:events';
import { ConfirmedPublisher } from './confirmed-publisher';
import { PublishError } from '@reliable-payments/errors';

/** A confirm channel whose write buffer is full or not, as the test says; confirms come when the test sends them. */
class FakeChannel extends EventEmitter {
  bufferFull = false;
  readonly written: Array<{ routingKey: string; confirm: (error: unknown) => void }> = [];

  publish(_exchange: string, routingKey: string, _content: Buffer, _options: unknown, confirm: (error: unknown) => void): boolean {
    this.written.push({ routingKey, confirm });
    return !this.bufferFull;
  }
}

async function attached(confirmTimeoutMs = 10_000) {
  const channel = new FakeChannel();
  const publisher = new ConfirmedPublisher(confirmTimeoutMs);
  await publisher.attach({ createConfirmChannel: async () => channel } as unknown as ChannelModel);
  return { channel, publisher };
}

/** The outcome of a publish, readable at any time without awaiting it. */
function track(promise: Promise<void>) {
  const outcome: { state: 'pending' | 'resolved' | 'rejected'; error?: PublishError } = { state: 'pending' };
  promise.then(
    () => (outcome.state = 'resolved'),
    (error: PublishError) => Object.assign(outcome, { state: 'rejected', error }),
  );
  return outcome;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ConfirmedPublisher with a full write buffer', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(() => jest.useRealTimers());

  it('holds a publish until the buffer drains, then writes and confirms it', async () => {
    const { channel, publisher } = await attached();
    channel.bufferFull = true;
    const first = track(publisher.publish('x', 'first', Buffer.from('{}')));
    const second = track(publisher.publish('x', 'second', Buffer.from('{}')));
    await settle();
    expect(channel.written.map((w) => w.routingKey)).toEqual(['first']); // the second waits for room

    channel.bufferFull = false;
    channel.emit('drain');
    await settle();
    expect(channel.written.map((w) => w.routingKey)).toEqual(['first', 'second']);
    channel.written.forEach((w) => w.confirm(null));
    await settle();
    expect([first.state, second.state]).toEqual(['resolved', 'resolved']);
    publisher.stop();
  });

  it('rejects a publish waiting for the buffer to drain when its channel closes (drain never comes)', async () => {
    const { channel, publisher } = await attached();
    channel.bufferFull = true;
    const written = track(publisher.publish('x', 'written', Buffer.from('{}')));
    const waiting = track(publisher.publish('x', 'waiting', Buffer.from('{}')));
    await settle();

    channel.emit('close');
    await settle();
    expect(written).toMatchObject({ state: 'rejected', error: { code: 'CHANNEL_CLOSED' } });
    expect(waiting).toMatchObject({ state: 'rejected', error: { code: 'CHANNEL_CLOSED' } });
    expect(channel.written.map((w) => w.routingKey)).toEqual(['written']); // never written on a dead channel
    publisher.stop();
  });

  it('rejects a publish waiting for the buffer to drain when its channel errors', async () => {
    const { channel, publisher } = await attached();
    channel.bufferFull = true;
    void publisher.publish('x', 'written', Buffer.from('{}')).catch(() => undefined);
    const waiting = track(publisher.publish('x', 'waiting', Buffer.from('{}')));
    await settle();

    channel.emit('error', new Error('connection reset'));
    await settle();
    expect(waiting).toMatchObject({ state: 'rejected', error: { code: 'CHANNEL_CLOSED' } });
    publisher.stop();
  });

  it('counts the wait for room against the confirm deadline: no drain means CONFIRM_TIMEOUT, not a hang', async () => {
    jest.useFakeTimers();
    const { channel, publisher } = await attached(1_000);
    channel.bufferFull = true;
    const written = track(publisher.publish('x', 'written', Buffer.from('{}')));
    const waiting = track(publisher.publish('x', 'waiting', Buffer.from('{}')));

    await jest.advanceTimersByTimeAsync(900);
    expect(waiting.state).toBe('pending');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(written).toMatchObject({ state: 'rejected', error: { code: 'CONFIRM_TIMEOUT' } });
    expect(waiting).toMatchObject({ state: 'rejected', error: { code: 'CONFIRM_TIMEOUT' } });

    // A drain after the deadline writes nothing: the caller was already told it failed.
    channel.emit('drain');
    await jest.advanceTimersByTimeAsync(0);
    expect(channel.written.map((w) => w.routingKey)).toEqual(['written']);
    publisher.stop();
  });

  it('gives a publish released by a drain only what is left of its deadline', async () => {
    jest.useFakeTimers();
    const { channel, publisher } = await attached(1_000);
    channel.bufferFull = true;
    void publisher.publish('x', 'written', Buffer.from('{}')).catch(() => undefined);
    const waiting = track(publisher.publish('x', 'waiting', Buffer.from('{}')));

    await jest.advanceTimersByTimeAsync(700);
    channel.bufferFull = false;
    channel.emit('drain');
    await jest.advanceTimersByTimeAsync(0);
    expect(channel.written.map((w) => w.routingKey)).toEqual(['written', 'waiting']);
    await jest.advanceTimersByTimeAsync(600); // 1.3 s after the call: past its deadline, though written 0.6 s ago
    expect(waiting).toMatchObject({ state: 'rejected', error: { code: 'CONFIRM_TIMEOUT' } });
    publisher.stop();
  });
});
