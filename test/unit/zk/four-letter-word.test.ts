import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ZkError } from '../../../electron/zk/errors';
import { fourLetterWord } from '../../../electron/zk/four-letter-word';

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];

function listen(onConnection: (socket: net.Socket) => void): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => {
      sockets.push(socket);
      onConnection(socket);
    });
    servers.push(server);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('fourLetterWord', () => {
  it('sends the command and returns everything the server writes before closing', async () => {
    const received: string[] = [];
    const port = await listen((socket) => {
      socket.once('data', (chunk) => {
        received.push(chunk.toString());
        // Answer in pieces, like a real server with a long `mntr`.
        socket.write('Zookeeper version: 3.8.0\n');
        setTimeout(() => socket.end('Mode: standalone\n'), 20);
      });
    });
    const answer = await fourLetterWord('127.0.0.1', port, 'srvr', 2000);
    expect(received).toEqual(['srvr']);
    expect(answer).toBe('Zookeeper version: 3.8.0\nMode: standalone\n');
  });

  it('fails with UNREACHABLE naming the address when nothing listens', async () => {
    const port = await listen(() => undefined);
    await new Promise((r) => servers.pop()?.close(r));
    const error = await fourLetterWord('127.0.0.1', port, 'ruok', 2000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZkError);
    expect((error as ZkError).code).toBe('UNREACHABLE');
    expect((error as ZkError).message).toContain(`127.0.0.1:${port}`);
    expect((error as ZkError).message).toContain('ECONNREFUSED');
  });

  it('times out with TIMEOUT when the server never answers', async () => {
    const port = await listen(() => undefined);
    const started = Date.now();
    const error = await fourLetterWord('127.0.0.1', port, 'mntr', 300).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect((error as ZkError).code).toBe('TIMEOUT');
    expect((error as ZkError).message).toMatch(/did not answer 'mntr' within 300 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
  });

  it('refuses something that is not a four-letter word before connecting', async () => {
    await expect(fourLetterWord('127.0.0.1', 1, 'stats', 100)).rejects.toMatchObject({
      code: 'BAD_ARGUMENTS',
    });
    await expect(fourLetterWord('127.0.0.1', 1, 'SRVR', 100)).rejects.toMatchObject({
      code: 'BAD_ARGUMENTS',
    });
  });
});
