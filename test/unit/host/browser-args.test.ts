import { describe, expect, it } from 'vitest';
import { parseBrowserArgs } from '../../../electron/host/browser-args';

describe('parseBrowserArgs', () => {
  it('reads --port, --no-open and --data-dir', () => {
    expect(parseBrowserArgs(['--port', '7777', '--no-open', '--data-dir', '/tmp/x'])).toEqual({
      port: 7777,
      open: false,
      dataDir: '/tmp/x',
    });
    expect(parseBrowserArgs([])).toEqual({ open: true });
  });

  it('names the problem with a bad option', () => {
    expect(() => parseBrowserArgs(['--port', '99999'])).toThrow(/--port '99999' is not a port/);
    expect(() => parseBrowserArgs(['--port'])).toThrow(/--port needs a value/);
    expect(() => parseBrowserArgs(['--data-dir', '--no-open'])).toThrow(/--data-dir needs a value/);
    expect(() => parseBrowserArgs(['--bogus'])).toThrow(/unknown option '--bogus'/);
  });
});
