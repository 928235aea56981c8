import type { ConsumeMessage } from 'amqplib';
import { AckCoalescer } from './ack-coalescer';

const message = (deliveryTag: number) => ({ fields: { deliveryTag } }) as ConsumeMessage;

/** Records what the coalescer sends, as (tag, multiple) pairs. */
function setup() {
  const sent: Array<[number, boolean]> = [];
  const errors: Error[] = [];
  const channel = { ack: (m: ConsumeMessage, allUpTo?: boolean) => void sent.push([m.fields.deliveryTag, allUpTo ?? false]) };
  const acks = new AckCoalescer(channel, (error) => errors.push(error));
  const deliver = (...tags: number[]) =>
    tags.map((tag) => {
      const m = message(tag);
      acks.delivered(m);
      return m;
    });
  return { sent, errors, acks, deliver };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('AckCoalescer', () => {
  it('sends the acks of one turn as one multiple ack when no earlier delivery is outstanding', async () => {
    const { sent, acks, deliver } = setup();
    const messages = deliver(1, 2, 3, 4);
    for (const m of messages) acks.ack(m);
    expect(sent).toEqual([]); // nothing before the next turn
    await nextTurn();
    expect(sent).toEqual([[4, true]]);
  });

  it('acks one by one the messages above a delivery still being handled, so the multiple ack never covers it', async () => {
    const { sent, acks, deliver } = setup();
    const [m1, m2, m3, m4] = deliver(1, 2, 3, 4);
    acks.ack(m1);
    acks.ack(m2);
    acks.ack(m4); // 3 is still being handled
    await nextTurn();
    expect(sent).toEqual([
      [4, false],
      [2, true],
    ]);
    acks.ack(m3);
    await nextTurn();
    expect(sent.slice(2)).toEqual([[3, false]]);
  });

  it('does not let a message released with a nack hold back the multiple ack', async () => {
    const { sent, acks, deliver } = setup();
    const [m1, m2, m3] = deliver(1, 2, 3);
    acks.settled(m1); // nacked back to its queue by the consumer
    acks.ack(m2);
    acks.ack(m3);
    await nextTurn();
    expect(sent).toEqual([[3, true]]);
  });

  it('sends a single ack, not a multiple one, when only one message is covered', async () => {
    const { sent, acks, deliver } = setup();
    const [m1] = deliver(1, 2);
    acks.ack(m1);
    await nextTurn();
    expect(sent).toEqual([[1, false]]);
  });

  it('flushes on demand (shutdown) and sends nothing twice', async () => {
    const { sent, acks, deliver } = setup();
    const [m1, m2] = deliver(1, 2);
    acks.ack(m1);
    acks.ack(m2);
    acks.flush();
    await nextTurn();
    expect(sent).toEqual([[2, true]]);
  });

  it('reports a channel that fails the ack instead of throwing from the event loop', async () => {
    const errors: Error[] = [];
    const acks = new AckCoalescer(
      {
        ack: () => {
          throw new Error('Channel closed');
        },
      },
      (error) => errors.push(error),
    );
    const m = message(1);
    acks.delivered(m);
    acks.ack(m);
    await nextTurn();
    expect(errors.map((e) => e.message)).toEqual(['Channel closed']);
  });
});
