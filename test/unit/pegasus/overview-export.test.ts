/** CSV and JSON export of the overview: quoting, spreadsheet-formula safety, provenance, file names. */
import { describe, expect, it } from 'vitest';
import { loadClusterModel } from '../../../electron/pegasus/cluster-model';
import { clusterOverview } from '../../../electron/pegasus/cluster-views';
import { csvField, exportOverview, overviewFileName } from '../../../electron/pegasus/overview-export';
import { seedInMemoryCluster } from '../../fixtures/pegasus-cluster/in-memory-cluster';
import { appInfoJson } from '../../fixtures/pegasus-cluster/payloads';

/** A minimal RFC 4180 reader, to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  return rows;
}

describe('csvField', () => {
  it('quotes separators, quotes and line breaks, and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1+2')).toBe("'-1+2");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-5)).toBe('-5');
    expect(csvField(null)).toBe('');
    expect(csvField(true)).toBe('true');
  });
});

describe('exportOverview', () => {
  it('writes one CSV row per table that reads back to the overview values', async () => {
    const { zk, cluster } = await seedInMemoryCluster({
      root: '/pegasus/x1',
      seed: 2,
      tables: 4,
      partitions: 4,
      droppedTables: 1,
    });
    // A table name a spreadsheet would run as a formula, with a comma in an env value.
    zk.setDataSync(
      '/pegasus/x1/apps/1',
      Buffer.from(
        appInfoJson({
          status: 'AS_AVAILABLE',
          appName: '=cmd|x',
          appId: 1,
          partitionCount: 4,
          envs: { 'a.b': '1,2' },
          createSecond: 1_700_000_000,
        }),
      ),
    );
    const overview = clusterOverview(await loadClusterModel(zk, '/pegasus/x1'));
    const file = exportOverview(overview, 'csv');
    expect(file.mimeType).toBe('text/csv');
    const rows = parseCsv(file.text);
    expect(rows[0]?.slice(0, 5)).toEqual(['app_id', 'name', 'status', 'health', 'partition_count']);
    expect(rows).toHaveLength(1 + cluster.expected.tables.length);
    const first = Object.fromEntries((rows[0] ?? []).map((name, i) => [name, rows[1]?.[i]]));
    expect(first).toMatchObject({
      app_id: '1',
      name: "'=cmd|x",
      envs: 'a.b=1,2',
      create_time: '2023-11-14T22:13:20.000Z',
    });
    const dropped = cluster.expected.tables.find((t) => t.status === 'dropped');
    const droppedRow = rows.find((r) => r[0] === String(dropped?.appId));
    expect(droppedRow?.[2]).toBe('dropped');
    expect(droppedRow?.[3]).toBe('n/a');
  });

  it('writes JSON with its source and load time, and names files after the cluster and load time', async () => {
    const { zk } = await seedInMemoryCluster({
      root: '/pegasus/x2',
      seed: 2,
      tables: 2,
      partitions: 2,
      droppedTables: 0,
    });
    const overview = {
      ...clusterOverview(await loadClusterModel(zk, '/pegasus/x2')),
      loadedAt: Date.UTC(2024, 2, 1, 10, 15, 0),
    };
    const file = exportOverview(overview, 'json', Date.UTC(2024, 2, 1, 11, 0, 0));
    const document = JSON.parse(file.text);
    expect(document).toMatchObject({
      format: 'migration-desk/pegasus-overview',
      version: 1,
      source: 'zookeeper',
      clusterRoot: '/pegasus/x2',
      loadedAt: '2024-03-01T10:15:00.000Z',
      exportedAt: '2024-03-01T11:00:00.000Z',
    });
    expect(document.tables).toHaveLength(2);
    expect(file.fileName).toBe('pegasus-x2-overview-20240301-101500.json');
    expect(overviewFileName({ ...overview, clusterRoot: '/' }, 'csv')).toBe(
      'pegasus-root-overview-20240301-101500.csv',
    );
  });
});
