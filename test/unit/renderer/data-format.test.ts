import { describe, expect, it } from 'vitest';
import { analyzeData, hasControlChars } from '../../../renderer/src/lib/data-format';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('analyzeData', () => {
  it('shows empty data as text and not JSON', () => {
    const analysis = analyzeData(new Uint8Array());
    expect(analysis.empty).toBe(true);
    expect(analysis.suggestedTab).toBe('text');
    expect(analysis.json.ok).toBe(false);
  });

  it('picks JSON for objects and arrays and pretty-prints them', () => {
    const analysis = analyzeData(utf8('{"a":1,"b":[true,null]}'));
    expect(analysis.suggestedTab).toBe('json');
    expect(analysis.json).toEqual({
      ok: true,
      structured: true,
      pretty: '{\n  "a": 1,\n  "b": [\n    true,\n    null\n  ]\n}',
    });
    expect(analyzeData(utf8('[1, 2]')).suggestedTab).toBe('json');
  });

  it('shows JSON scalars as text but still parses them', () => {
    const analysis = analyzeData(utf8('42'));
    expect(analysis.suggestedTab).toBe('text');
    expect(analysis.json).toMatchObject({ ok: true, structured: false });
  });

  it('picks text for clean UTF-8 with newlines and tabs', () => {
    expect(analyzeData(utf8('host1:34601\nhost2:34601\t# meta')).suggestedTab).toBe('text');
  });

  it('picks hex for a NUL in the middle, invalid UTF-8 and control characters', () => {
    expect(analyzeData(Uint8Array.from([0x61, 0x00, 0x62])).suggestedTab).toBe('hex');
    expect(analyzeData(Uint8Array.from([0x61, 0xff, 0x62])).suggestedTab).toBe('hex');
    expect(analyzeData(utf8('a\u001bb')).suggestedTab).toBe('hex');
  });

  it('reports why invalid JSON is not JSON', () => {
    const analysis = analyzeData(utf8('{"a":'));
    expect(analysis.json.ok).toBe(false);
    if (!analysis.json.ok) expect(analysis.json.reason).toMatch(/^Not JSON/);
    expect(analyzeData(Uint8Array.from([0x7b, 0xff, 0x7d])).json).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/UTF-8/),
    });
  });

  it('classifies each of the 256 single bytes', () => {
    for (let byte = 0; byte < 256; byte++) {
      const tab = analyzeData(Uint8Array.of(byte)).suggestedTab;
      const printable = (byte >= 0x20 && byte < 0x7f) || byte === 0x09 || byte === 0x0a || byte === 0x0d;
      // Single digits parse as JSON scalars, which still show as text.
      expect(tab, `byte 0x${byte.toString(16)}`).toBe(printable ? 'text' : 'hex');
    }
  });
});

describe('hasControlChars', () => {
  it('allows tab, LF and CR but not NUL, DEL or C1 controls', () => {
    expect(hasControlChars('a\tb\r\nc')).toBe(false);
    expect(hasControlChars('a\u0000b')).toBe(true);
    expect(hasControlChars('\u007f')).toBe(true);
    expect(hasControlChars('\u0085')).toBe(true);
    expect(hasControlChars('é')).toBe(false);
  });
});
