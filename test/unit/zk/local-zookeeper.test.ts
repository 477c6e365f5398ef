import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  findFreePort,
  findZooKeeperInstall,
  isPortInUse,
  JAVA_NOT_INSTALLED,
  readClientPort,
  ZOOKEEPER_NOT_INSTALLED,
  zooCfg,
} from '../../../scripts/local-zookeeper';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'md-local-zk-unit-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function fakeJavaDir(): string {
  const bin = path.join(tmp, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  const java = path.join(bin, 'java');
  fs.writeFileSync(java, '#!/bin/sh\n');
  fs.chmodSync(java, 0o755);
  return bin;
}

describe('zoo.cfg', () => {
  it('is the reference configuration: loopback only, no admin server, the 4lw whitelist', () => {
    expect(zooCfg('/tmp/x/data', 2199)).toBe(
      [
        'tickTime=2000',
        'dataDir=/tmp/x/data',
        'clientPort=2199',
        'clientPortAddress=127.0.0.1',
        'maxClientCnxns=0',
        'admin.enableServer=false',
        '4lw.commands.whitelist=ruok,srvr,stat,mntr,conf,cons,wchs,envi',
        '',
      ].join('\n'),
    );
    const file = path.join(tmp, 'zoo.cfg');
    fs.writeFileSync(file, zooCfg('/d', 31337));
    expect(readClientPort(file)).toBe(31337);
    expect(readClientPort(path.join(tmp, 'missing.cfg'))).toBeUndefined();
  });
});

describe('findZooKeeperInstall', () => {
  it('says exactly what to install when ZooKeeper is missing', () => {
    expect(() =>
      findZooKeeperInstall({ env: { PATH: fakeJavaDir() }, debianZookeeperJar: path.join(tmp, 'nope.jar') }),
    ).toThrow(ZOOKEEPER_NOT_INSTALLED);
    expect(ZOOKEEPER_NOT_INSTALLED).toBe(
      'ZooKeeper is not installed: run `sudo apt-get install zookeeper` (Debian/Ubuntu), or set ZOOKEEPER_HOME to an unpacked ZooKeeper release.',
    );
  });

  it('rejects a ZOOKEEPER_HOME without jars, naming it', () => {
    const home = path.join(tmp, 'empty-home');
    fs.mkdirSync(home, { recursive: true });
    expect(() => findZooKeeperInstall({ env: { ZOOKEEPER_HOME: home, PATH: fakeJavaDir() } })).toThrow(
      new RegExp(`ZOOKEEPER_HOME=${home} has no ZooKeeper jar`),
    );
  });

  it('uses a release layout: conf/ and every lib/*.jar', () => {
    const home = path.join(tmp, 'apache-zookeeper-3.8.4-bin');
    fs.mkdirSync(path.join(home, 'lib'), { recursive: true });
    for (const jar of ['zookeeper-3.8.4.jar', 'zookeeper-jute-3.8.4.jar', 'logback-classic-1.2.13.jar']) {
      fs.writeFileSync(path.join(home, 'lib', jar), '');
    }
    const install = findZooKeeperInstall({ env: { ZOOKEEPER_HOME: home, PATH: fakeJavaDir() } });
    expect(install.source).toBe(`ZOOKEEPER_HOME=${home}`);
    expect(install.java).toBe(path.join(tmp, 'bin', 'java'));
    expect(install.classpath.split(':')).toEqual([
      path.join(home, 'conf'),
      path.join(home, 'lib', 'logback-classic-1.2.13.jar'),
      path.join(home, 'lib', 'zookeeper-3.8.4.jar'),
      path.join(home, 'lib', 'zookeeper-jute-3.8.4.jar'),
    ]);
  });

  it('says what to install when java is missing', () => {
    const jar = path.join(tmp, 'zookeeper.jar');
    fs.writeFileSync(jar, '');
    expect(() =>
      findZooKeeperInstall({ env: { PATH: path.join(tmp, 'no-bin') }, debianZookeeperJar: jar }),
    ).toThrow(JAVA_NOT_INSTALLED);
    expect(JAVA_NOT_INSTALLED).toMatch(/apt-get install default-jre-headless/);
  });

  it('finds the Debian package with the slf4j binding on this machine', () => {
    const install = findZooKeeperInstall();
    expect(install.classpath).toContain('zookeeper.jar');
    expect(fs.existsSync(install.java)).toBe(true);
  });
});

describe('ports', () => {
  it('finds a free loopback port and detects one in use', async () => {
    const port = await findFreePort();
    expect(port).toBeGreaterThan(0);
    expect(await isPortInUse(port)).toBe(false);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      expect(await isPortInUse(port)).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
