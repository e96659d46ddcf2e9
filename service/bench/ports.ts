import { createServer } from 'node:net';

/**
 * A loopback port free at this moment, for a server whose URL must be known before it starts (the service's resource
 * URL is its token audience). Another process could take it in between; startService retries with a new one.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}
