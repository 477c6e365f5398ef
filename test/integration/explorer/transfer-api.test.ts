/**
 * Export and import through the real host (typed API plus the file download and upload over the
 * token-protected HTTP) on a real ZooKeeper: a byte-exact round trip (binary, empty and null data,
 * ACLs, nesting) checked with kazoo, zk-shell's format, each conflict policy, a dry run that writes
 * nothing, bad files refused with nothing written, read-only connections refused, and the audit.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { JobEvent } from '../../../shared/api/background-job';
import type { ExportResult, ImportPreview, ImportResult, UploadedFile } from '../../../shared/api/transfer';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { rejectionOf, startTestHost, type TestHost } from '../../setup/host-fixture';
import { connectTestSession, deleteTree, ensurePath } from '../../setup/zk-tree-builder';
import { readWithKazoo, uniqueTestRoot, writeWithKazoo } from '../../setup/zk-test-helpers';

const zk = inject('zkPrimary');
const base = uniqueTestRoot('transfer');
const source = `${base}/source`;
const BINARY = Buffer.from([0x00, 0xff, 0x10, 0x80, 0xc3, 0x28, 0x00]);
let t: TestHost;
let session: ZkSession;
let writable: string;
let readOnly: string;

async function jobEnd<R>(jobId: string, timeoutMs = 30_000): Promise<JobEvent<R>> {
  const stream = t.subscribe<JobEvent<R>>('jobs.events', { jobId });
  const final = await stream.waitFor(
    (e) => e.type === 'done' || e.type === 'failed',
    timeoutMs,
    'the job outcome',
  );
  stream.close();
  return final;
}

async function jobResult<R>(jobId: string): Promise<R> {
  const final = await jobEnd<R>(jobId);
  if (final.type !== 'done')
    throw new Error(`job failed: ${final.type === 'failed' ? final.message : final.type}`);
  return final.result;
}

async function download(fileId: string, name = 'x.json.gz'): Promise<Response> {
  return fetch(`${t.host.origin}/files/exports/${fileId}?name=${encodeURIComponent(name)}`, {
    headers: { authorization: `Bearer ${t.host.token}` },
  });
}

async function upload(body: Buffer | string, name: string): Promise<UploadedFile> {
  const response = await fetch(`${t.host.origin}/files/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.host.token}`, 'x-file-name': encodeURIComponent(name) },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as UploadedFile;
}

async function exportOf(
  path: string,
  options: { gzip?: boolean; withStat?: boolean } = {},
): Promise<ExportResult> {
  const started = await t.api.transfer.export.mutate({ connectionId: readOnly, path, ...options });
  return jobResult<ExportResult>(started.jobId);
}

async function preview(
  fileId: string,
  path: string,
  policy: 'skip' | 'overwrite' | 'fail',
): Promise<ImportPreview> {
  const started = await t.api.transfer.previewImport.mutate({ connectionId: writable, fileId, path, policy });
  return jobResult<ImportPreview>(started.jobId);
}

async function apply(runId: string, confirmPath?: string): Promise<ImportResult> {
  const started = await t.api.transfer.applyImport.mutate({ runId, confirmPath });
  return jobResult<ImportResult>(started.jobId);
}

beforeAll(async () => {
  t = await startTestHost('transfer');
  session = await connectTestSession(zk);
  await ensurePath(session, source);
  await session.create(`${source}/binary`, BINARY);
  await session.create(`${source}/empty`, Buffer.alloc(0));
  await session.create(`${source}/dir`, Buffer.from('parent'));
  for (let i = 0; i < 25; i += 1) await session.create(`${source}/dir/c${i}`, Buffer.from(`value-${i}`));
  await session.create(`${source}/guarded`, Buffer.from('g'), {
    acl: [{ scheme: 'world', id: 'anyone', perms: 'rcdwa' }],
  });
  await writeWithKazoo(zk, `${source}/null`, null);
  writable = await t.addConnection('rw', zk, { readWrite: true });
  readOnly = await t.addConnection('ro', zk);
});

afterAll(async () => {
  await deleteTree(session, base).catch(() => undefined);
  await session?.close();
  await t?.stop();
});

describe('export', () => {
  it('exports with progress to a file the host serves as a download, byte for byte', async () => {
    const started = await t.api.transfer.export.mutate({
      connectionId: readOnly,
      path: source,
      withStat: true,
    });
    const stream = t.subscribe<JobEvent<ExportResult>>('jobs.events', { jobId: started.jobId });
    const final = await stream.waitFor(
      (e) => e.type === 'done' || e.type === 'failed',
      30_000,
      'the outcome',
    );
    stream.close();
    expect(final.type).toBe('done');
    const result = (final as { result: ExportResult }).result;
    expect(result).toMatchObject({ nodeCount: 31, complete: true });
    expect(result.fileName).toMatch(/^ro-.*transfer.*\.json\.gz$/);

    const response = await download(result.fileId, result.fileName);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain(`filename="${result.fileName}"`);
    const document = JSON.parse(gunzipSync(Buffer.from(await response.arrayBuffer())).toString('utf8'));
    expect(document).toMatchObject({
      format: 'migration-desk.zk-export',
      version: 1,
      root: source,
      nodeCount: 31,
      complete: true,
    });
    const byPath = new Map<string, { data: string; stat?: { version: number } }>(
      document.nodes.map((node: { path: string }) => [node.path, node]),
    );
    expect(Buffer.from(byPath.get(`${source}/binary`)?.data ?? '', 'base64').equals(BINARY)).toBe(true);
    expect(byPath.get(`${source}/empty`)?.data).toBe('');
    expect(byPath.get(`${source}/null`)?.data).toBe('');
    expect(byPath.get(`${source}/binary`)?.stat?.version).toBe(0);

    const audit = await t.api.audit.list.query({ target: readOnly, actionPrefix: 'zk-export.saved' });
    expect(audit[0]?.detail).toMatchObject({ path: source, nodeCount: 31, fileId: result.fileId });
  });

  it('refuses downloads without the token and of unknown files', async () => {
    const result = await exportOf(`${source}/dir`, { gzip: false });
    const anonymous = await fetch(`${t.host.origin}/files/exports/${result.fileId}`);
    expect(anonymous.status).toBe(401);
    const unknown = await download('00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    const plain = await download(result.fileId, 'dir.json');
    expect(plain.headers.get('content-type')).toMatch(/application\/json/);
    expect(JSON.parse(await plain.text()).nodeCount).toBe(26);
  });
});

describe('import', () => {
  it('round-trips an export into another path byte for byte, and the dry run writes nothing', async () => {
    const exported = await exportOf(source);
    const file = Buffer.from(await (await download(exported.fileId)).arrayBuffer());
    const uploaded = await upload(file, 'source.json.gz');
    const target = `${base}/copy`;
    const plan = await preview(uploaded.fileId, target, 'skip');
    expect(plan).toMatchObject({ creates: 31, updates: 0, conflicts: 0, blocked: null });
    expect(plan.file).toMatchObject({
      format: 'migration-desk',
      root: source,
      nodeCount: 31,
      name: 'source.json.gz',
    });
    expect(plan.samples.creates?.length).toBeGreaterThan(0);
    // The preview is a dry run.
    expect(await session.exists(target)).toBeNull();

    const result = await apply(plan.runId);
    expect(result).toMatchObject({ created: 31, updated: 0, conflicts: 0, errors: 0 });
    expect((await readWithKazoo(zk, `${target}/binary`))?.equals(BINARY)).toBe(true);
    expect((await readWithKazoo(zk, `${target}/empty`))?.length).toBe(0);
    expect((await session.getData(`${target}/dir/c7`)).data.toString()).toBe('value-7');
    expect((await session.getChildren(`${target}/dir`)).children.length).toBe(25);
    expect((await session.getACL(`${target}/guarded`)).acl).toEqual([
      { scheme: 'world', id: 'anyone', perms: 'cdrwa' },
    ]);

    const audit = await t.api.audit.list.query({ target: writable, actionPrefix: 'explorer.import' });
    expect(audit[0]?.detail).toMatchObject({
      path: target,
      policy: 'skip',
      created: 31,
      digestBefore: null,
      fileDigest: expect.stringMatching(/^sha256:/),
      digestAfter: expect.stringMatching(/^sha256:/),
    });
    const batches = await t.api.audit.list.query({ target: plan.runId, actionPrefix: 'zk-import.batch' });
    expect(batches.length).toBeGreaterThan(0);
  });

  it("reads zk-shell's JSON format", async () => {
    const zkShell = {
      '/app': {
        content: Buffer.from('root').toString('base64'),
        acls: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }],
      },
      '/app/bin': { content: BINARY.toString('base64'), acls: [] },
      '/app/none': { content: null, acls: [] },
    };
    const uploaded = await upload(JSON.stringify(zkShell), 'zkshell-backup.json');
    const target = `${base}/from-zk-shell`;
    const plan = await preview(uploaded.fileId, target, 'fail');
    expect(plan.file.format).toBe('zk-shell');
    expect(plan).toMatchObject({ creates: 3, conflicts: 0, blocked: null });
    await apply(plan.runId);
    expect((await session.getData(target)).data.toString()).toBe('root');
    expect((await readWithKazoo(zk, `${target}/bin`))?.equals(BINARY)).toBe(true);
    expect((await session.getData(`${target}/none`)).data.length).toBe(0);
  });

  it('opens an export file as a snapshot, browsed offline without importing it', async () => {
    const exported = await exportOf(source, { withStat: true });
    const file = Buffer.from(await (await download(exported.fileId)).arrayBuffer());
    const uploaded = await upload(file, 'backup.json.gz');
    const snapshot = await t.api.snapshots.fromUpload.mutate({ fileId: uploaded.fileId });
    expect(snapshot).toMatchObject({
      reason: 'export-file',
      root: source,
      nodeCount: 31,
      connectionName: 'backup.json.gz',
    });
    const bin = await t.api.nodes.get.query({ connectionId: snapshot.workspaceId, path: `${source}/binary` });
    expect(Buffer.from(bin.dataBase64, 'base64').equals(BINARY)).toBe(true);
    expect(bin.stat.version).toBe(0);
    const dir = await t.api.nodes.children.query({
      connectionId: snapshot.workspaceId,
      path: `${source}/dir`,
    });
    expect(dir.count).toBe(25);
    const bad = await upload('not json', 'notes.txt');
    const refused = await rejectionOf(t.api.snapshots.fromUpload.mutate({ fileId: bad.fileId }));
    expect(refused.data?.code).toBe('BAD_REQUEST');
    expect(refused.message).toMatch(/notes\.txt is not valid JSON/);
  });

  describe('conflict policies', () => {
    const target = `${base}/policies`;
    let fileId: string;

    beforeAll(async () => {
      const document = {
        format: 'migration-desk.zk-export',
        version: 1,
        root: '/x',
        source: 'hand-made',
        exportedAt: 0,
        nodes: [
          { path: '/x', data: '', acl: [], ephemeral: false },
          { path: '/x/same', data: Buffer.from('same').toString('base64'), acl: [], ephemeral: false },
          {
            path: '/x/differs',
            data: Buffer.from('theirs-in-file').toString('base64'),
            acl: [],
            ephemeral: false,
          },
          { path: '/x/new', data: BINARY.toString('base64'), acl: [], ephemeral: false },
        ],
        nodeCount: 4,
        complete: true,
        unreadable: [],
      };
      fileId = (await upload(JSON.stringify(document), 'policies.json')).fileId;
      await session.create(target, Buffer.alloc(0));
      await session.create(`${target}/same`, Buffer.from('same'));
      await session.create(`${target}/differs`, Buffer.from('on-zookeeper'));
    });

    it('fail: the preview shows the conflict and apply is refused, nothing written', async () => {
      const plan = await preview(fileId, target, 'fail');
      expect(plan).toMatchObject({ creates: 1, conflicts: 1, unchanged: 2 });
      expect(plan.samples.conflicts?.[0]).toMatch(/^\/differs: /);
      expect(plan.blocked).toMatch(/policy is "fail"/);
      const refused = await rejectionOf(t.api.transfer.applyImport.mutate({ runId: plan.runId }));
      expect(refused.data?.code).toBe('BAD_REQUEST');
      expect(await session.exists(`${target}/new`)).toBeNull();
    });

    it('skip: creates what is missing and leaves the conflicting node alone', async () => {
      const plan = await preview(fileId, target, 'skip');
      const result = await apply(plan.runId);
      expect(result).toMatchObject({ created: 1, updated: 0, conflicts: 1 });
      expect((await session.getData(`${target}/differs`)).data.toString()).toBe('on-zookeeper');
      expect((await session.getData(`${target}/new`)).data.equals(BINARY)).toBe(true);
    });

    it('overwrite: needs the path typed back, saves a snapshot, then replaces', async () => {
      const plan = await preview(fileId, target, 'overwrite');
      expect(plan).toMatchObject({ updates: 1, conflicts: 0 });
      const unconfirmed = await rejectionOf(t.api.transfer.applyImport.mutate({ runId: plan.runId }));
      expect(unconfirmed.message).toMatch(/type that path to confirm/);
      expect((await session.getData(`${target}/differs`)).data.toString()).toBe('on-zookeeper');

      const again = await preview(fileId, target, 'overwrite');
      const result = await apply(again.runId, target);
      expect(result).toMatchObject({ updated: 1, verifyDifferences: 0 });
      expect((await session.getData(`${target}/differs`)).data.toString()).toBe('theirs-in-file');
      const saved = await t.api.snapshots.get.query({ snapshotId: result.snapshotId as string });
      expect(saved).toMatchObject({ reason: 'before-import', root: target, nodeCount: 4 });
      const before = await t.api.nodes.get.query({
        connectionId: saved.workspaceId,
        path: `${target}/differs`,
      });
      expect(Buffer.from(before.dataBase64, 'base64').toString()).toBe('on-zookeeper');
      const audit = await t.api.audit.list.query({ target: writable, actionPrefix: 'explorer.import' });
      expect(audit[0]?.detail).toMatchObject({
        policy: 'overwrite',
        snapshotId: result.snapshotId,
        digestBefore: expect.stringMatching(/^sha256:/),
      });
    });
  });

  describe('bad input: a clear error and nothing written', () => {
    const target = `${base}/bad`;

    it('refuses a file that is not JSON, a truncated gzip, and a file that is not an export', async () => {
      const cases: [Buffer | string, string, RegExp][] = [
        ['hello, world', 'notes.txt', /notes\.txt is not valid JSON/],
        [
          Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]),
          'cut.json.gz',
          /cut\.json\.gz is gzip but does not decompress/,
        ],
        [
          '{"format":"migration-desk.zk-export","version":1,"root":"/a","nodes":[{"path":"/b","data":""}]',
          'half.json',
          /half\.json is not valid JSON/,
        ],
        ['{"hello":"world"}', 'other.json', /neither a Migration Desk export/],
        [
          JSON.stringify({
            format: 'migration-desk.zk-export',
            version: 1,
            root: '/a',
            nodes: [{ path: '/elsewhere', data: '' }],
          }),
          'outside.json',
          /node 0 has no path under \/a/,
        ],
      ];
      for (const [body, name, message] of cases) {
        const uploaded = await upload(body, name);
        const error = await rejectionOf(
          t.api.transfer.previewImport.mutate({
            connectionId: writable,
            fileId: uploaded.fileId,
            path: target,
            policy: 'skip',
          }),
        );
        expect(error.data?.code).toBe('BAD_REQUEST');
        expect(error.message).toMatch(message);
        expect(error.message).toMatch(/Nothing was written/);
      }
      expect(await session.exists(target)).toBeNull();
    });

    it('refuses to apply on a read-only connection', async () => {
      const uploaded = await upload(JSON.stringify({ '/q': { content: null, acls: [] } }), 'q.json');
      const started = await t.api.transfer.previewImport.mutate({
        connectionId: readOnly,
        fileId: uploaded.fileId,
        path: target,
        policy: 'skip',
      });
      const plan = await jobResult<ImportPreview>(started.jobId);
      expect(plan.creates).toBe(1);
      const refused = await rejectionOf(t.api.transfer.applyImport.mutate({ runId: plan.runId }));
      expect(refused.data?.code).toBe('FORBIDDEN');
      expect(refused.message).toMatch(/read-only/);
      expect(await session.exists(target)).toBeNull();
    });

    it('refuses an empty upload and an unknown file id', async () => {
      const empty = await fetch(`${t.host.origin}/files/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.host.token}`, 'x-file-name': 'empty.json' },
        body: '',
      });
      expect(empty.status).toBe(400);
      expect(await empty.text()).toMatch(/empty/);
      const unknown = await rejectionOf(
        t.api.transfer.previewImport.mutate({
          connectionId: writable,
          fileId: '00000000-0000-4000-8000-000000000000',
          path: target,
        }),
      );
      expect(unknown.message).toMatch(/upload the file again/);
    });
  });
});
