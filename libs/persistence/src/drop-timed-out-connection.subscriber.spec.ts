import type { AfterQueryEvent } from 'typeorm';
import { DropTimedOutConnection } from './drop-timed-out-connection.subscriber';

function afterQuery(outcome: { success: boolean; error?: unknown }) {
  const destroy = jest.fn();
  const event = { ...outcome, query: 'SELECT 1', queryRunner: { databaseConnection: { destroy } } } as unknown as AfterQueryEvent;
  new DropTimedOutConnection().afterQuery(event);
  return destroy;
}

describe('DropTimedOutConnection', () => {
  it("destroys the connection whose statement hit mysql2's time-out (its command queue still holds that statement)", () => {
    const timeout = Object.assign(new Error('Query inactivity timeout'), { code: 'PROTOCOL_SEQUENCE_TIMEOUT' });
    expect(afterQuery({ success: false, error: timeout })).toHaveBeenCalledTimes(1);
  });

  it('keeps the connection after a success or any other failure (a duplicate key, a deadlock)', () => {
    expect(afterQuery({ success: true })).not.toHaveBeenCalled();
    expect(afterQuery({ success: false, error: Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY' }) })).not.toHaveBeenCalled();
    expect(afterQuery({ success: false, error: Object.assign(new Error('Deadlock'), { code: 'ER_LOCK_DEADLOCK' }) })).not.toHaveBeenCalled();
  });
});
