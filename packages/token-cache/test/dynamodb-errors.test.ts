import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../src/errors.js';
import { DynamoDbStore } from '../src/stores/dynamodb-store.js';
import { awsJsonError, startFakeDynamoDb, startLocalDynamoDb } from './dynamodb-local.js';

const SECRET_TOKEN = 'eyJhbGciOiJub25lIn0.eyJzZWNyZXQiOnRydWV9.secret-signature';
const stops: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (stops.length > 0) await stops.pop()?.();
});

function storeAt(endpoint: string, timeoutMs = 2_000): DynamoDbStore {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-west-2',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
  stops.push(async () => client.destroy());
  return new DynamoDbStore({ tableName: 'token-cache', client, timeoutMs });
}

async function failureOf(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

describe('DynamoDbStore error mapping', () => {
  it.each([
    ['ProvisionedThroughputExceededException', 'throttled'],
    ['ThrottlingException', 'throttled'],
    ['RequestLimitExceeded', 'throttled'],
    ['AccessDeniedException', 'access-denied'],
    ['UnrecognizedClientException', 'access-denied'],
    ['ResourceNotFoundException', 'not-found'],
    ['ValidationException', 'invalid'],
  ])('maps %s to kind %s', async (type, kind) => {
    const fake = await startFakeDynamoDb(awsJsonError(type));
    stops.push(fake.stop);
    const error = await failureOf(storeAt(fake.endpoint).put('token', SECRET_TOKEN));
    expect(error.kind).toBe(kind);
    expect(error.operation).toBe('UpdateItem');
    expect(error.message).toContain(type);
    expect(error.message).toContain('token-cache');
  });

  it('maps a 500 InternalServerError to unavailable', async () => {
    const fake = await startFakeDynamoDb(awsJsonError('InternalServerError', 500));
    stops.push(fake.stop);
    const error = await failureOf(storeAt(fake.endpoint).get('token'));
    expect(error.kind).toBe('unavailable');
    expect(error.operation).toBe('GetItem');
  });

  it('maps a refused connection to unavailable', async () => {
    const fake = await startFakeDynamoDb(awsJsonError('InternalServerError'));
    await fake.stop(); // nothing listens on this port any more
    const error = await failureOf(storeAt(fake.endpoint).get('token'));
    expect(error.kind).toBe('unavailable');
  });

  it('times out a call that never answers', async () => {
    const fake = await startFakeDynamoDb(() => {
      // never respond
    });
    stops.push(fake.stop);
    const error = await failureOf(storeAt(fake.endpoint, 50).get('token'));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('timed out');
    expect(fake.requests()).toBe(1);
  });

  it("stops when the caller's signal aborts", async () => {
    const fake = await startFakeDynamoDb(() => {
      // never respond
    });
    stops.push(fake.stop);
    const controller = new AbortController();
    const pending = storeAt(fake.endpoint, 60_000).get('token', { signal: controller.signal });
    controller.abort();
    const error = await failureOf(pending);
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('aborted');
  });

  it('reports a missing table on a real DynamoDB as not-found', async () => {
    const dynamo = await startLocalDynamoDb();
    stops.push(dynamo.stop);
    const store = new DynamoDbStore({ tableName: 'no-such-table', client: dynamo.client() });
    const error = await failureOf(store.get('token'));
    expect(error.kind).toBe('not-found');
    expect(error.message).toContain('no-such-table');
  });

  it('never puts the value in the message or the cause chain of a rejected write', async () => {
    const fake = await startFakeDynamoDb((response) => {
      // A validation message quoting the value: it must not travel in the error.
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ValidationException',
          message: `Invalid value ${SECRET_TOKEN}`,
        }),
      );
    });
    stops.push(fake.stop);
    const error = await failureOf(storeAt(fake.endpoint).put('token', SECRET_TOKEN));
    const everything =
      JSON.stringify(error, Object.getOwnPropertyNames(error)) + String(error.cause);
    expect(everything).not.toContain('secret-signature');
  });
});
