import { describe, expect, it } from 'vitest';
import { BoundedOutput, LineSplitter } from '../../../../electron/pegasus/tools/bounded-output';
import { redactArgv, redactLine } from '../../../../electron/pegasus/tools/redaction';

describe('line splitting', () => {
  it('splits on \\n and \\r\\n across chunks, multi-byte characters included', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    const bytes = Buffer.from('first\r\nsec表ond\nthird without newline');
    // Feed one byte at a time: a character split across chunks must survive.
    for (const byte of bytes) splitter.write(Buffer.from([byte]));
    expect(lines).toEqual(['first', 'sec表ond']);
    splitter.end();
    expect(lines).toEqual(['first', 'sec表ond', 'third without newline']);
  });

  it('cuts a line that never ends and goes on with the next one', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line), 10);
    splitter.write(Buffer.from('x'.repeat(25)));
    splitter.write(Buffer.from('y'.repeat(5)));
    splitter.write(Buffer.from('\nnext\n'));
    expect(lines).toEqual([`${'x'.repeat(10)} […line cut at 10 characters]`, 'next']);
  });
});

describe('bounded output', () => {
  it('keeps everything under the budget', () => {
    const output = new BoundedOutput(1024);
    for (const line of ['a', 'b', 'c']) output.push(line);
    expect(output.text()).toBe('a\nb\nc\n');
    expect(output.truncated).toBe(false);
    expect(new BoundedOutput(10).text()).toBe('');
  });

  it('keeps the head and the tail, and says how much it dropped', () => {
    const output = new BoundedOutput(100);
    for (let i = 0; i < 10_000; i += 1) output.push(`line ${String(i).padStart(5, '0')}`);
    const text = output.text();
    expect(output.truncated).toBe(true);
    expect(text.startsWith('line 00000\nline 00001\n')).toBe(true);
    expect(text.endsWith('line 09999\n')).toBe(true);
    const note = /\[… (\d+) lines \((\d+) bytes\) not kept here/.exec(text);
    const kept = text.split('\n').filter((line) => line.startsWith('line ')).length;
    expect(Number(note?.[1]) + kept).toBe(10_000);
    expect(Buffer.byteLength(text)).toBeLessThan(400);
  });
});

describe('redaction', () => {
  it('masks values after secret-looking flags and keys only', () => {
    expect(
      redactArgv(['/bin/tool', '--password', 'p', '-token=t', 'secret=s', '-c', 'tjsrv', 'password']),
    ).toEqual(['/bin/tool', '--password', '***', '-token=***', 'secret=***', '-c', 'tjsrv', 'password']);
    expect(redactLine('set_app_envs business.info password=hunter2')).toBe(
      'set_app_envs business.info password=***',
    );
    expect(redactLine('addauth digest alice:pw')).toBe('addauth digest alice:***');
    expect(redactLine('copy_data -c tjsrv -a temp')).toBe('copy_data -c tjsrv -a temp');
  });
});
