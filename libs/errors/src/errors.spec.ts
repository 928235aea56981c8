import { classifyError, PermanentError, TransientError } from './errors';

/** A Node-style system error, as `net` raises when nothing listens on the port. */
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });

describe('classifyError', () => {
  it('keeps the kind and code of a TransientError', () => {
    expect(classifyError(new TransientError('DB_DEADLOCK', 'deadlock found'))).toEqual({
      kind: 'transient',
      code: 'DB_DEADLOCK',
      dependencyDown: false,
      message: 'deadlock found',
    });
  });

  it('reports dependencyDown when the TransientError says so', () => {
    const error = new TransientError('PAYMENTS_DOWN', 'payments API unreachable', { dependencyDown: true });

    expect(classifyError(error)).toMatchObject({ kind: 'transient', code: 'PAYMENTS_DOWN', dependencyDown: true });
  });

  it('keeps the kind and code of a PermanentError, which is never dependencyDown', () => {
    expect(classifyError(new PermanentError('SCHEMA_INVALID', 'amount: required'))).toEqual({
      kind: 'permanent',
      code: 'SCHEMA_INVALID',
      dependencyDown: false,
      message: 'amount: required',
    });
  });

  it('lets an explicit PermanentError win over a network code in its cause', () => {
    const error = new PermanentError('COUPON_RULE', 'order too small', { cause: refused() });

    expect(classifyError(error)).toMatchObject({ kind: 'permanent', code: 'COUPON_RULE', dependencyDown: false });
  });

  it('treats an ECONNREFUSED error as a dependency that is down', () => {
    expect(classifyError(refused())).toEqual({
      kind: 'transient',
      code: 'ECONNREFUSED',
      dependencyDown: true,
      message: 'connect ECONNREFUSED 127.0.0.1:3306',
    });
  });

  it('finds ECONNREFUSED in the cause of a wrapping error', () => {
    const error = new Error('could not load order', { cause: refused() });

    expect(classifyError(error)).toEqual({
      kind: 'transient',
      code: 'ECONNREFUSED',
      dependencyDown: true,
      message: 'could not load order',
    });
  });

  it('finds ECONNREFUSED in a TypeORM-style driverError', () => {
    const error = Object.assign(new Error('query failed'), { driverError: refused() });

    expect(classifyError(error)).toMatchObject({ kind: 'transient', code: 'ECONNREFUSED', dependencyDown: true });
  });

  it('finds a connection code two levels down', () => {
    const lost = Object.assign(new Error('Connection lost'), { code: 'PROTOCOL_CONNECTION_LOST' });
    const error = new Error('handler failed', { cause: { driverError: lost } });

    expect(classifyError(error)).toMatchObject({ code: 'PROTOCOL_CONNECTION_LOST', dependencyDown: true });
  });

  it('does not loop on an error that is its own cause', () => {
    const error: Error & { cause?: unknown } = new Error('self-referential');
    error.cause = error;

    expect(classifyError(error)).toMatchObject({ code: 'UNKNOWN', dependencyDown: false });
  });

  it('treats an unknown error as transient with code UNKNOWN, not as a dependency that is down', () => {
    expect(classifyError(new Error('boom'))).toEqual({
      kind: 'transient',
      code: 'UNKNOWN',
      dependencyDown: false,
      message: 'boom',
    });
  });

  it('ignores codes that do not mean the other side is unreachable', () => {
    const error = Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY' });

    expect(classifyError(error)).toMatchObject({ kind: 'transient', code: 'UNKNOWN', dependencyDown: false });
  });

  it('classifies a thrown non-Error value by its string form', () => {
    expect(classifyError('plain string')).toEqual({
      kind: 'transient',
      code: 'UNKNOWN',
      dependencyDown: false,
      message: 'plain string',
    });
  });

  it('consults the extra classifier for errors that are not MessagingErrors', () => {
    const seen: unknown[] = [];
    const error = new Error('Lock wait timeout exceeded');
    const extra = (e: unknown) => {
      seen.push(e);
      return new TransientError('DB_LOCK_WAIT_TIMEOUT', 'lock wait timeout');
    };

    expect(classifyError(error, extra)).toMatchObject({ kind: 'transient', code: 'DB_LOCK_WAIT_TIMEOUT' });
    expect(seen).toEqual([error]);
  });

  it('can turn an error permanent through the extra classifier', () => {
    const extra = () => new PermanentError('ORDER_UNKNOWN', 'no such order');

    expect(classifyError(new Error('not found'), extra)).toMatchObject({ kind: 'permanent', code: 'ORDER_UNKNOWN' });
  });

  it('falls back to network codes when the extra classifier declines', () => {
    expect(classifyError(refused(), () => undefined)).toMatchObject({ code: 'ECONNREFUSED', dependencyDown: true });
  });
});
