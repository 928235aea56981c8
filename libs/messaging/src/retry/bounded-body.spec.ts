import { BODY_TRUNCATED_HEADER, boundedBody, ORIGINAL_SIZE_HEADER, TRUNCATED_BODY_BYTES } from './bounded-body';

describe('boundedBody', () => {
  it('moves a body within the limit whole, headers untouched', () => {
    const headers = {};
    const body = Buffer.alloc(1000, 1);
    expect(boundedBody(body, 1000, headers)).toBe(body);
    expect(headers).toEqual({});
  });

  it('cuts a body over the limit and records its original size', () => {
    const headers: Record<string, unknown> = {};
    const cut = boundedBody(Buffer.alloc(10 * 1024 * 1024, 1), 256 * 1024, headers);
    expect(cut.length).toBe(TRUNCATED_BODY_BYTES);
    expect(headers).toEqual({ [ORIGINAL_SIZE_HEADER]: 10 * 1024 * 1024, [BODY_TRUNCATED_HEADER]: 'true' });
  });

  it('never keeps more than the limit itself', () => {
    expect(boundedBody(Buffer.alloc(5000, 1), 100, {}).length).toBe(100);
  });
});
