/** What @reliable-payments/contracts uses of node:crypto, from the browser's Web Crypto (the bundle never runs Node). */
export function randomUUID(): string {
  return globalThis.crypto.randomUUID();
}
