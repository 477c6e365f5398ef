import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ZkError } from '../../../electron/zk/errors';
import { ZkSession } from '../../../electron/zk/zk-session';
import { findFreePort } from '../../../scripts/local-zookeeper';

async function connectError(
  connectString: string,
  connectTimeoutMs: number,
): Promise<{ error: ZkError; elapsed: number }> {
  const started = Date.now();
  const error = await ZkSession.connect({ connectString, sessionTimeoutMs: 10_000, connectTimeoutMs }).then(
    async (session) => {
      await session.close();
      throw new Error('expected the connection to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZkError);
  return { error: error as ZkError, elapsed: Date.now() - started };
}

describe('first connection to an unreachable server', () => {
  it('rejects with UNREACHABLE after the connect timeout when nothing listens', async () => {
    const port = await findFreePort();
    const { error, elapsed } = await connectError(`127.0.0.1:${port}`, 1500);
    expect(error.code).toBe('UNREACHABLE');
    expect(error.message).toBe(
      `Could not reach 127.0.0.1:${port} within 1.5 s. Check that ZooKeeper is running there and the host and port are right, or that your SSH tunnel is up.`,
    );
    expect(elapsed).toBeGreaterThanOrEqual(1400);
    expect(elapsed).toBeLessThan(4000);
  });

  it('rejects with UNREACHABLE when something accepts TCP but never speaks ZooKeeper (a dead tunnel)', async () => {
    const sockets: net.Socket[] = [];
    // Reads and discards, like a tunnel whose far end is gone; resume() so the client's FIN is seen.
    const server = net.createServer((socket) => {
      sockets.push(socket);
      socket.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const { error, elapsed } = await connectError(`127.0.0.1:${port}`, 1000);
      expect(error.code).toBe('UNREACHABLE');
      expect(error.message).toContain(`127.0.0.1:${port} within 1 s`);
      expect(elapsed).toBeLessThan(3500);
      // The client was stopped: its socket is closed and no reconnect follows.
      const accepted = sockets.length;
      expect(accepted).toBeGreaterThanOrEqual(1);
      await new Promise((r) => setTimeout(r, 1500));
      expect(sockets.length).toBe(accepted);
      expect(sockets.filter((s) => !s.destroyed)).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('lists every server of an ensemble in the message', async () => {
    const [a, b] = [await findFreePort(), await findFreePort()];
    const { error } = await connectError(`127.0.0.1:${a},127.0.0.1:${b}`, 800);
    expect(error.code).toBe('UNREACHABLE');
    expect(error.message).toContain(`Could not reach 127.0.0.1:${a},127.0.0.1:${b} within 800 ms`);
  });
});
