import { EventEmitter } from 'node:events';
import type { WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { guardWebContents, isAppUrl, secureWindowOptions } from '../../../electron/shell/secure-window';

const ORIGIN = 'http://127.0.0.1:4321';

class FakeWebContents extends EventEmitter {
  openHandler?: (details: { url: string }) => { action: string };
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
}

function navigate(contents: FakeWebContents, channel: string, url: string): boolean {
  const event = { preventDefault: vi.fn() };
  contents.emit(channel, event, url);
  return event.preventDefault.mock.calls.length > 0;
}

describe('secure window', () => {
  it('isolates the page: no Node, sandboxed, context isolation, no webview', () => {
    const prefs = secureWindowOptions('/app/preload.cjs').webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('denies window.open and sends https links to the OS browser only', () => {
    const contents = new FakeWebContents();
    const openExternal = vi.fn();
    guardWebContents(contents as unknown as WebContents, ORIGIN, openExternal);
    expect(contents.openHandler?.({ url: 'https://pegasus.apache.org/docs' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: `${ORIGIN}/popup` })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);
    expect(openExternal).toHaveBeenCalledWith('https://pegasus.apache.org/docs');
  });

  it('blocks navigation and redirects away from the app origin', () => {
    const contents = new FakeWebContents();
    guardWebContents(contents as unknown as WebContents, ORIGIN, vi.fn());
    expect(navigate(contents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'http://127.0.0.1:9999/')).toBe(true);
    expect(navigate(contents, 'will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(navigate(contents, 'will-navigate', `${ORIGIN}/explorer`)).toBe(false);
    expect(navigate(contents, 'will-attach-webview', 'x')).toBe(true);
  });

  it('compares origins, not prefixes', () => {
    expect(isAppUrl(`${ORIGIN}/a`, ORIGIN)).toBe(true);
    expect(isAppUrl('http://127.0.0.1:43210/a', ORIGIN)).toBe(false);
    expect(isAppUrl(`${ORIGIN}.evil.example/`, ORIGIN)).toBe(false);
    expect(isAppUrl('not a url', ORIGIN)).toBe(false);
  });
});
