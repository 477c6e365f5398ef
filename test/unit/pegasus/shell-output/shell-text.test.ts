import { describe, expect, it } from 'vitest';
import {
  columnRows,
  excerpt,
  firstJson,
  isBannerLine,
  keyValueRows,
  namedTables,
  shellLines,
} from '../../../../electron/pegasus/shell-output/shell-text';

describe('shell text', () => {
  it('strips colours, prompts and carriage returns but keeps indentation', () => {
    expect(shellLines('>>> \x1b[1mBackupID\x1b[0m\r\n\tnew app_id = 21  \n')).toEqual([
      'BackupID',
      '\tnew app_id = 21',
      '',
    ]);
    expect(shellLines('Pegasus-AdminCli-1.2.0 » dup list')).toEqual(['dup list']);
  });

  it('knows the banner lines', () => {
    for (const line of [
      'Pegasus Shell 2.5.0',
      'Type "help" for more information.',
      'The cluster name is: onebox',
      'The cluster meta list is: 127.0.0.1:34601',
      'dsn exit with code 0',
    ]) {
      expect(isBannerLine(line)).toBe(true);
    }
    expect(isBannerLine('[cluster_info]')).toBe(false);
  });

  it('splits named tables at blank lines and at the next name', () => {
    const tables = namedTables(['x', '[a]', 'k  : v', '[b]', 'h1  h2', '1   2', '', 'tail']);
    expect(tables.map((table) => [table.name, table.rows])).toEqual([
      ['a', ['k  : v']],
      ['b', ['h1  h2', '1   2']],
    ]);
  });

  it('reads key : value rows whose values hold colons', () => {
    expect(
      keyValueRows(['meta_servers   : 10.0.0.1:34601,10.0.0.2:34601  ', 'empty  : ', 'bad:row']),
    ).toEqual({
      entries: [
        ['meta_servers', '10.0.0.1:34601,10.0.0.2:34601'],
        ['empty', ''],
      ],
      bad: ['bad:row'],
    });
  });

  it('places cells under their columns, empty cells and right alignment included', () => {
    // `app <name> -d`'s [nodes] table ends with a total row whose first cell is empty.
    const rows = [
      'node             primary  secondary  total  ',
      '127.0.0.1:34801        8         17     25  ',
      '                      25         51     76  ',
    ];
    expect(columnRows(rows)).toEqual({
      header: ['node', 'primary', 'secondary', 'total'],
      rows: [
        { node: '127.0.0.1:34801', primary: '8', secondary: '17', total: '25' },
        { node: '', primary: '25', secondary: '51', total: '76' },
      ],
      bad: [],
    });
    expect(columnRows(['a  b', '1  2  3']).bad).toEqual(['1  2  3']);
  });

  it('finds JSON between banner lines', () => {
    expect(
      firstJson(['The cluster name is: x', '{', '  "a": {"b": 1}', '}', 'dsn exit with code 0']),
    ).toEqual({
      value: { a: { b: 1 } },
      line: 1,
    });
    expect(firstJson(['[', '  1', ']'], '[')?.value).toEqual([1]);
    expect(firstJson(['{ not json'])).toBeNull();
  });

  it('quotes at most a dozen content lines', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    expect(excerpt(['Pegasus Shell 2.5.0', ...lines]).split('\n')).toHaveLength(13);
    expect(excerpt(lines)).toMatch(/… \(8 more lines\)$/);
  });
});
