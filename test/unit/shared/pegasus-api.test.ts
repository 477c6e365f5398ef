/** The Pegasus API's input validation: messages that name the field. */
import { describe, expect, it } from 'vitest';
import { pegasusMetaHttpInputSchema, pegasusTableInputSchema } from '../../../shared/api/pegasus';

describe('pegasus API inputs', () => {
  it('accepts host:port meta server lists and refuses anything else with a field message', () => {
    const ok = (metaServers: string) =>
      pegasusMetaHttpInputSchema.safeParse({ connectionId: 'c', root: '/p', metaServers }).success;
    expect(ok('meta-1:34601')).toBe(true);
    expect(ok('10.0.0.1:34601, 10.0.0.2:34601')).toBe(true);
    expect(ok('meta-1')).toBe(false);
    expect(ok('a:1,,b:2')).toBe(false);
    expect(ok('http://a:1')).toBe(false);
    const failed = pegasusMetaHttpInputSchema.safeParse({ connectionId: 'c', root: '/p', metaServers: ' ' });
    expect(!failed.success && failed.error.issues[0]?.path).toEqual(['metaServers']);
  });

  it('refuses a relative root and a negative app id', () => {
    const bad = pegasusTableInputSchema.safeParse({ connectionId: 'c', root: 'pegasus', appId: -1 });
    expect(!bad.success && bad.error.issues.map((issue) => issue.path[0]).sort()).toEqual(['appId', 'root']);
  });
});
