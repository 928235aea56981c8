import { redriveClassOf } from './redrive-class';

describe('redriveClassOf (allow-list)', () => {
  it('counts only known "retries ran out" reasons as exhausted', () => {
    expect(redriveClassOf({ reason: 'retries-exhausted', errorClass: 'transient' })).toBe('exhausted');
    expect(redriveClassOf({ reason: 'broker-delivery_limit', errorClass: 'unknown' })).toBe('exhausted');
  });

  it('treats poison, unknown and made-up reasons as poison', () => {
    for (const reason of ['permanent', 'unstorable', 'unknown', 'totally-fine', 'Retries-Exhausted', '']) {
      expect(redriveClassOf({ reason, errorClass: 'transient' })).toBe('poison');
    }
  });

  it('refuses a contradiction: retries exhausted on a permanent error', () => {
    expect(redriveClassOf({ reason: 'retries-exhausted', errorClass: 'permanent' })).toBe('poison');
  });
});
