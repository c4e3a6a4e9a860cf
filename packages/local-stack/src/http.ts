/**
 * Small HTTP helpers shared by every service of the stack: a transport-neutral `Reply`, body
 * reading with a size cap, and writing a reply to a `ServerResponse`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A complete HTTP answer, built by a handler and written once by the server. */
export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Largest request body accepted; SSM's biggest request (an 8 KB advanced value) fits easily. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Builds a JSON reply.
 *
 * @example
 * ```ts
 * jsonReply(200, { ok: true });
 * ```
 */
export function jsonReply(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * Reads the whole request body as bytes (SigV4 signs the bytes, not a decoded string),
 * refusing bodies over `MAX_BODY_BYTES`.
 *
 * @example
 * ```ts
 * const text = (await readBody(req)).toString('utf8');
 * ```
 */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new RangeError(`request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Writes a reply, unless the client already went away.
 *
 * @example
 * ```ts
 * sendReply(res, jsonReply(404, { message: 'Not Found' }));
 * ```
 */
export function sendReply(res: ServerResponse, reply: Reply): void {
  if (res.writableEnded || res.destroyed) return;
  const body = Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) });
  res.end(body);
}

/**
 * Parses a JSON object body; anything else (invalid JSON, an array, a scalar) yields `undefined`.
 *
 * @example
 * ```ts
 * parseJsonObject('{"a":1}'); // { a: 1 }
 * ```
 */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
