/**
 * DynamoDB for the `dynamodb-burst` scenario (issue 7): dynalite, an implementation of the
 * DynamoDB API, in a child process on a loopback port. A child process, like the SSM stack,
 * so the store does not share the simulated fleet's event loop. It counts requests per
 * operation (from `X-Amz-Target`) and reports them over IPC.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  CreateTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import { BENCH_REGION, LOCAL_CREDENTIALS } from './strategies/aws-clients.js';

/** A running dynalite. */
export interface LocalDynamoDb {
  readonly endpoint: string;
  /** A client for this endpoint with dummy credentials (dynalite checks none). */
  client(overrides?: DynamoDBClientConfig): DynamoDBClient;
  /** Creates a table with the DynamoDB store's key schema (`pk`, S), on demand. */
  createTable(tableName: string): Promise<void>;
  /** Requests received per operation since the last reset, e.g. `{ GetItem: 12 }`. */
  requests(): Promise<Record<string, number>>;
  resetRequests(): Promise<void>;
  stop(): Promise<void>;
}

// Runs in the child: plain CommonJS, no TypeScript, so it starts in milliseconds.
const CHILD_SCRIPT = `
const dynalite = require(process.argv[1]);
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
let counts = {};
server.prependListener('request', (request) => {
  const operation = String(request.headers['x-amz-target'] || '').split('.')[1] || 'unknown';
  counts[operation] = (counts[operation] || 0) + 1;
});
server.listen(0, '127.0.0.1', () => process.send({ type: 'listening', port: server.address().port }));
process.on('message', (message) => {
  if (message === 'requests') process.send({ type: 'requests', counts });
  if (message === 'reset') { counts = {}; process.send({ type: 'reset' }); }
});
process.on('disconnect', () => process.exit(0));
`;

/**
 * Starts dynalite in a child process.
 *
 * @example
 * ```ts
 * const dynamo = await startLocalDynamoDb();
 * await dynamo.createTable('token-cache');
 * const store = new DynamoDbStore({ tableName: 'token-cache', client: dynamo.client() });
 * await dynamo.stop();
 * ```
 */
export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  const dynalitePath = createRequire(import.meta.url).resolve('dynalite');
  const child = fork('-e', [CHILD_SCRIPT, dynalitePath], {
    // fork() runs a module; `-e` through execArgv runs the inline script instead.
    execArgv: [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const port = await nextMessage<{ port: number }>(child, 'listening');
  const endpoint = `http://127.0.0.1:${port.port}`;
  const clients = new Set<DynamoDBClient>();
  const client = (overrides: DynamoDBClientConfig = {}) => {
    const made = new DynamoDBClient({
      endpoint,
      region: BENCH_REGION,
      credentials: LOCAL_CREDENTIALS,
      ...overrides,
    });
    clients.add(made);
    const destroy = made.destroy.bind(made);
    made.destroy = () => {
      clients.delete(made);
      destroy();
    };
    return made;
  };
  return {
    endpoint,
    client,
    async createTable(tableName) {
      const admin = client();
      try {
        await admin.send(
          new CreateTableCommand({
            TableName: tableName,
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
          }),
        );
      } finally {
        admin.destroy();
      }
    },
    async requests() {
      const reply = nextMessage<{ counts: Record<string, number> }>(child, 'requests');
      child.send('requests');
      return (await reply).counts;
    },
    async resetRequests() {
      const reply = nextMessage(child, 'reset');
      child.send('reset');
      await reply;
    },
    async stop() {
      for (const made of [...clients]) made.destroy();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}

function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if ((message as { type?: string } | null)?.type !== type) return;
      cleanup();
      resolve(message as T);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`dynalite exited (code ${code}) before answering "${type}"`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
