import { TransientError } from '@reliable-payments/errors';
import { classifyMysqlError, isDuplicateKeyError, isRetryableTransactionError } from './mysql-errors';

/** Shaped like a mysql2 query error. */
const mysqlError = (errno: number, code: string, sqlMessage: string) => Object.assign(new Error(sqlMessage), { errno, code, sqlMessage, sqlState: '40001' });

/** Shaped like TypeORM's QueryFailedError, which keeps the driver's error in `driverError`. */
const queryFailed = (driverError: Error) => Object.assign(new Error(`QueryFailedError: ${driverError.message}`), { driverError });

const deadlock = () => mysqlError(1213, 'ER_LOCK_DEADLOCK', 'Deadlock found when trying to get lock; try restarting transaction');
const lockWaitTimeout = () => mysqlError(1205, 'ER_LOCK_WAIT_TIMEOUT', 'Lock wait timeout exceeded; try restarting transaction');
const duplicateKey = () => mysqlError(1062, 'ER_DUP_ENTRY', "Duplicate entry 'abc' for key 'inbox.PRIMARY'");

describe('isRetryableTransactionError', () => {
  it.each([
    ['a deadlock', deadlock()],
    ['a lock-wait timeout', lockWaitTimeout()],
    ['a wrapped deadlock', queryFailed(deadlock())],
    ['a wrapped lock-wait timeout', queryFailed(lockWaitTimeout())],
  ])('is true for %s', (_label, error) => {
    expect(isRetryableTransactionError(error)).toBe(true);
  });

  it.each([
    ['a duplicate key', duplicateKey()],
    ['a wrapped duplicate key', queryFailed(duplicateKey())],
    ['an errno given as a string', { errno: '1213' }],
    ['an error without errno', new Error('boom')],
    ['undefined', undefined],
    ['null', null],
  ])('is false for %s', (_label, error) => {
    expect(isRetryableTransactionError(error)).toBe(false);
  });
});

describe('isDuplicateKeyError', () => {
  it('is true for a duplicate key, plain or wrapped', () => {
    expect(isDuplicateKeyError(duplicateKey())).toBe(true);
    expect(isDuplicateKeyError(queryFailed(duplicateKey()))).toBe(true);
  });

  it('is false for a deadlock and for errors without errno', () => {
    expect(isDuplicateKeyError(deadlock())).toBe(false);
    expect(isDuplicateKeyError(new Error('boom'))).toBe(false);
    expect(isDuplicateKeyError(undefined)).toBe(false);
  });
});

describe('classifyMysqlError', () => {
  it('turns a deadlock into a TransientError DB_DEADLOCK carrying the SQL message', () => {
    const error = queryFailed(deadlock());
    const classified = classifyMysqlError(error);

    expect(classified).toBeInstanceOf(TransientError);
    expect(classified).toMatchObject({
      code: 'DB_DEADLOCK',
      kind: 'transient',
      dependencyDown: false,
      message: 'Deadlock found when trying to get lock; try restarting transaction',
      cause: error,
    });
  });

  it('turns a lock-wait timeout into a TransientError DB_LOCK_WAIT_TIMEOUT', () => {
    const classified = classifyMysqlError(lockWaitTimeout());

    expect(classified).toBeInstanceOf(TransientError);
    expect(classified).toMatchObject({
      code: 'DB_LOCK_WAIT_TIMEOUT',
      message: 'Lock wait timeout exceeded; try restarting transaction',
    });
  });

  it.each([
    [1045, 'ER_ACCESS_DENIED_ERROR', "Access denied for user 'coupon'@'localhost'", 'access denied'],
    [4151, 'ER_ACCOUNT_HAS_BEEN_LOCKED', 'Access denied, this account is locked', 'account locked'],
    [1927, 'ER_CONNECTION_KILLED', 'Connection was killed', 'connection killed'],
    [1053, 'ER_SERVER_SHUTDOWN', 'Server shutdown in progress', 'server shutdown in progress'],
    [1040, 'ER_CON_COUNT_ERROR', 'Too many connections', 'too many connections'],
  ])('turns errno %i (%s) into a dependency-down DB_UNAVAILABLE', (errno, code, sqlMessage, what) => {
    const classified = classifyMysqlError(queryFailed(mysqlError(errno, code, sqlMessage)));

    expect(classified).toBeInstanceOf(TransientError);
    expect(classified).toMatchObject({ code: 'DB_UNAVAILABLE', dependencyDown: true, message: `${what}: ${sqlMessage}` });
  });

  it("turns mysql2's pool refusal past queueLimit (a message, no code) into a dependency-down DB_POOL_QUEUE_FULL", () => {
    const classified = classifyMysqlError(new Error('Queue limit reached.'));

    expect(classified).toBeInstanceOf(TransientError);
    expect(classified).toMatchObject({ code: 'DB_POOL_QUEUE_FULL', dependencyDown: true });
  });

  it('leaves other errors to the messaging classifier', () => {
    expect(classifyMysqlError(queryFailed(duplicateKey()))).toBeUndefined();
    expect(classifyMysqlError(new Error('boom'))).toBeUndefined();
    expect(classifyMysqlError(undefined)).toBeUndefined();
  });
});
