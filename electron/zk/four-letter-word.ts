/**
 * ZooKeeper's four-letter-word commands (srvr, ruok, mntr, ...) over a plain TCP socket: write the
 * command, read until the server closes. Used for health views and to tell when a local server is
 * ready; there is no `nc` on the target machines.
 */
import net from 'node:net';
import { formatDuration, ZkError } from './errors';

/** The commands a server may whitelist (4lw.commands.whitelist). */
export const FOUR_LETTER_WORDS = [
  'conf',
  'cons',
  'crst',
  'dirs',
  'dump',
  'envi',
  'gtmk',
  'isro',
  'mntr',
  'ruok',
  'srst',
  'srvr',
  'stat',
  'stmk',
  'wchc',
  'wchp',
  'wchs',
] as const;

/** Responses bigger than this are cut off: a 4lw answer is a few KiB, `dump` on a busy server more. */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export function fourLetterWord(
  host: string,
  port: number,
  command: string,
  timeoutMs: number,
): Promise<string> {
  if (!/^[a-z]{4}$/.test(command)) {
    return Promise.reject(
      new ZkError('BAD_ARGUMENTS', `'${command}' is not a four-letter-word command (e.g. srvr, ruok, mntr)`),
    );
  }
  const where = `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const socket = net.connect({ host: host.replace(/^\[(.*)\]$/, '$1'), port });
    const finish = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(() => {
      finish(
        new ZkError(
          'TIMEOUT',
          `ZooKeeper at ${where} did not answer '${command}' within ${formatDuration(timeoutMs)}: check that it is running and not overloaded`,
        ),
      );
    }, timeoutMs);
    // write, not end: a half-close would let some servers close before they have answered.
    socket.on('connect', () => socket.write(command));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_RESPONSE_BYTES) {
        finish(
          new ZkError(
            'UNKNOWN',
            `The answer to '${command}' from ${where} exceeded ${MAX_RESPONSE_BYTES} bytes`,
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    socket.on('end', () => finish(undefined));
    socket.on('close', () => finish(undefined));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code ? `${error.code}` : error.message;
      finish(
        new ZkError(
          'UNREACHABLE',
          `Could not reach ZooKeeper at ${where} for '${command}' (${reason}): check that it is running there and the host and port are right`,
          { cause: error },
        ),
      );
    });
  });
}
