/**
 * Test helper: an in-process DynamoDB (dynalite) on a loopback port, and the table the
 * DynamoDB store expects, created through the real AWS SDK.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

// dynalite is CommonJS without type declarations.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: {
  createTableMs?: number;
  deleteTableMs?: number;
}) => Server;

/** A running dynalite with a client pointed at it. */
export interface LocalDynamoDb {
  readonly endpoint: string;
  /** Requests received per operation (from `X-Amz-Target`), e.g. `GetItem`. */
  readonly requests: Map<string, number>;
  /** Makes a client for this endpoint with dummy credentials (dynalite checks none). */
  client(options?: { maxAttempts?: number }): DynamoDBClient;
  /** Creates a table with the DynamoDB store's key schema (`pk`, S). */
  createTable(tableName: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts dynalite on 127.0.0.1 and an ephemeral port. */
export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const requests = new Map<string, number>();
  server.prependListener('request', (request: IncomingMessage) => {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
    requests.set(operation, (requests.get(operation) ?? 0) + 1);
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: DynamoDBClient[] = [];
  const client = (options: { maxAttempts?: number } = {}) => {
    const made = new DynamoDBClient({
      endpoint,
      region: 'us-west-2',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      maxAttempts: options.maxAttempts ?? 1,
    });
    clients.push(made);
    return made;
  };
  return {
    endpoint,
    requests,
    client,
    async createTable(tableName) {
      await client().send(
        new CreateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    },
    async stop() {
      for (const made of clients) made.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback server that answers every DynamoDB request with `respond` (errors, hangs). */
export async function startFakeDynamoDb(
  respond: (response: ServerResponse) => void,
): Promise<{ endpoint: string; requests: () => number; stop(): Promise<void> }> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    request.resume();
    request.on('end', () => respond(response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => requests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Answers like DynamoDB does for an error: HTTP 400 (or `status`) with an `__type` body. */
export function awsJsonError(type: string, status = 400): (response: ServerResponse) => void {
  return (response) => {
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(
      JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: 'fake' }),
    );
  };
}
