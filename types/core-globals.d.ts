/**
 * The few globals every runtime the core runs in has (Node, browsers, workers — the common minimum):
 * declared here for the core's realm only, so the core type-checks with no DOM and no worker library.
 * Anything else a core file reaches for (document, Worker, crypto, performance…) fails `npm run check`.
 */
interface TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}
declare var TextEncoder: { new (): TextEncoder };
interface TextDecoder {
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
declare var TextDecoder: { new (label?: string, options?: { fatal?: boolean }): TextDecoder };
interface URLSearchParams {
  get(name: string): string | null;
  set(name: string, value: string): void;
  has(name: string): boolean;
  toString(): string;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}
declare var URLSearchParams: { new (init?: string | Record<string, string>): URLSearchParams };
declare function structuredClone<T>(value: T): T;
