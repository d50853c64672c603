// Idempotency keys (幂等键) of money-moving requests. One user submission gets one fresh key;
// sending the very same request again (a retry after a timeout, a lost answer, a double click)
// reuses it, so the server answers with the first result and moves nothing twice. A changed
// request, or the next one after a success, gets a new key: the server refuses a key reused
// for a different request (`idempotency_key_reused`).

/** A random UUID: `crypto.randomUUID` where the page may use it, else one made from random bytes. */
export function newUuid(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  // Plain http on a LAN address is not a secure context: randomUUID is missing there.
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class SubmissionKeys {
  private last: { request: string; key: string } | null = null;

  constructor(private readonly makeKey: () => string = newUuid) {}

  /** The key for sending `request`: the previous one when it is the same request again. */
  keyFor(request: unknown): string {
    const text = JSON.stringify(request);
    if (this.last?.request !== text) this.last = { request: text, key: this.makeKey() };
    return this.last.key;
  }

  /** The request went through: whatever is sent next is a new submission. */
  settle(): void {
    this.last = null;
  }
}
