/**
 * The stack's single `node:http` server: listen on one port, and stop by closing every
 * connection, including keep-alive sockets and requests deliberately left hanging.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTimerSet, handleRequest } from './pipeline.js';
import type { StackServices } from './services.js';

/** A listening server. */
export interface ListeningServer {
  readonly port: number;
  /** Installs the services; until then requests answer 503. */
  attach(services: StackServices): void;
  close(): Promise<void>;
}

/**
 * Starts listening on `host:port` (port 0 = any free port).
 *
 * @example
 * ```ts
 * const server = await listen('127.0.0.1', 0);
 * server.attach(services);
 * await server.close();
 * ```
 */
export async function listen(host: string, port: number): Promise<ListeningServer> {
  const timers = createTimerSet();
  let services: StackServices | undefined;
  const server: Server = createServer((req, res) => {
    if (services === undefined) {
      res.writeHead(503).end();
      return;
    }
    void handleRequest(services, timers, req, res);
  });
  // Keep-alive sockets from SDK agents must not keep a stopped stack alive.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    port: address.port,
    attach(next) {
      services = next;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        timers.cancelAll();
        server.close(() => resolve());
        // close() waits for open connections; hung requests would wait forever.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
