import { describe, expect, it } from 'vitest';
import { newUuid, SubmissionKeys } from './idempotency';

function counter() {
  let n = 0;
  return () => `key-${++n}`;
}

describe('SubmissionKeys', () => {
  it('keeps the key while the same request is sent again, as on a retry', () => {
    const keys = new SubmissionKeys(counter());
    const body = { loanId: 7, amount: '5000.00', channel: 'bank_transfer' };
    expect(keys.keyFor(body)).toBe('key-1');
    expect(keys.keyFor({ ...body })).toBe('key-1');
  });

  it('gives a changed request a new key: the server refuses a key reused for something else', () => {
    const keys = new SubmissionKeys(counter());
    expect(keys.keyFor({ amount: '5000.00' })).toBe('key-1');
    expect(keys.keyFor({ amount: '6000.00' })).toBe('key-2');
    // Back to the first amount: a new submission, not a retry of the first.
    expect(keys.keyFor({ amount: '5000.00' })).toBe('key-3');
  });

  it('starts afresh after a success, so that an identical second payment is not swallowed', () => {
    const keys = new SubmissionKeys(counter());
    expect(keys.keyFor({ amount: '5000.00' })).toBe('key-1');
    keys.settle();
    expect(keys.keyFor({ amount: '5000.00' })).toBe('key-2');
  });
});

describe('newUuid', () => {
  it('makes version 4 UUIDs, different each time', () => {
    const a = newUuid();
    const b = newUuid();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it('makes them from random bytes where randomUUID is missing (plain http)', () => {
    const original = globalThis.crypto.randomUUID;
    try {
      Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true });
      expect(newUuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      Object.defineProperty(globalThis.crypto, 'randomUUID', { value: original, configurable: true });
    }
  });
});
