import { describe, expect, it } from 'vitest';
import { connectStringError, parseConnectString } from '../../../shared/connect-string';

function errorOf(input: string, chroot?: string): string {
  const result = parseConnectString(input, chroot);
  if (result.ok) throw new Error(`expected '${input}' to be refused`);
  return result.error;
}

describe('parseConnectString: refused inputs name the problem', () => {
  it('empty', () => {
    expect(errorOf('')).toMatch(/empty.*host:port/);
    expect(errorOf('   ')).toMatch(/empty/);
  });
  it('a host without a port', () => {
    expect(errorOf('localhost')).toBe("server 1 'localhost' has no port: write it as localhost:2181");
  });
  it('a port out of range', () => {
    expect(errorOf('host:99999')).toMatch(/port 99999 is out of range \(1-65535\)/);
    expect(errorOf('host:0')).toMatch(/port 0 is out of range/);
    expect(errorOf('host:21a')).toMatch(/port '21a' is not a number/);
  });
  it('an empty server entry', () => {
    expect(errorOf('a:1,,b:2')).toMatch(/empty server entry at position 2/);
    expect(errorOf('a:1,')).toMatch(/empty server entry/);
  });
  it('a scheme', () => {
    expect(errorOf('zk://')).toMatch(/must not have a scheme: remove 'zk:\/\/'/);
    expect(errorOf('zk://h:2181')).toMatch(/scheme/);
  });
  it('a chroot without a leading slash', () => {
    expect(errorOf('h:2181', 'pegasus')).toBe("Chroot 'pegasus' must start with '/'");
  });
  it('other malformed chroots and hosts', () => {
    expect(errorOf('h:2181/p/')).toMatch(/Chroot '\/p\/' must not end with '\/'/);
    expect(errorOf('h:2181/p//q')).toMatch(/empty segment/);
    expect(errorOf('h:2181/p', '/q')).toMatch(/either in the connect string or in the chroot field/);
    expect(errorOf('a:b:c')).toMatch(/too many ':'.*\[::1\]:2181/);
    expect(errorOf('[::1:2181')).toMatch(/closing '\]'/);
    expect(errorOf('[zz]:1')).toMatch(/'zz' is not an IPv6 address/);
    expect(errorOf('-bad:1')).toMatch(/'-bad' is not a valid host name/);
    expect(errorOf('h :1')).toMatch(/spaces/);
  });
  it('connectStringError returns the same message, or undefined when valid', () => {
    expect(connectStringError('localhost')).toBe(errorOf('localhost'));
    expect(connectStringError('localhost:2181')).toBeUndefined();
  });
});

describe('parseConnectString: valid inputs normalize', () => {
  it('one host', () => {
    const result = parseConnectString(' 127.0.0.1:2181 ');
    expect(result).toEqual({
      ok: true,
      value: { hosts: [{ host: '127.0.0.1', port: 2181 }], chroot: undefined, normalized: '127.0.0.1:2181' },
    });
  });
  it('several hosts with a chroot', () => {
    const result = parseConnectString('zk1.example.com:2181,zk2.example.com:2182/pegasus/onebox');
    expect(result.ok && result.value).toEqual({
      hosts: [
        { host: 'zk1.example.com', port: 2181 },
        { host: 'zk2.example.com', port: 2182 },
      ],
      chroot: '/pegasus/onebox',
      normalized: 'zk1.example.com:2181,zk2.example.com:2182/pegasus/onebox',
    });
  });
  it('IPv6 in brackets', () => {
    const result = parseConnectString('[::1]:2181,[fe80::1%25]:2182'.replace('%25', ''));
    expect(result.ok && result.value.hosts).toEqual([
      { host: '[::1]', port: 2181 },
      { host: '[fe80::1]', port: 2182 },
    ]);
    expect(result.ok && result.value.normalized).toBe('[::1]:2181,[fe80::1]:2182');
  });
  it('a chroot from the separate field, and a bare / meaning none', () => {
    expect(parseConnectString('h:1', '/pegasus')).toMatchObject({
      ok: true,
      value: { chroot: '/pegasus', normalized: 'h:1/pegasus' },
    });
    expect(parseConnectString('h:1/')).toMatchObject({
      ok: true,
      value: { chroot: undefined, normalized: 'h:1' },
    });
    expect(parseConnectString('h:1', '/')).toMatchObject({ ok: true, value: { normalized: 'h:1' } });
  });
});
