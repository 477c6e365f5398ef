/**
 * Decides how to show a node's bytes: JSON when they are a JSON object or array, text when they are
 * clean UTF-8, hex otherwise. Pure, so the rules are tested byte by byte.
 */
import { decodeUtf8Marked, type Utf8Decoded } from './utf8-marked';

export type DataTab = 'text' | 'json' | 'hex';

export type JsonResult = { ok: true; pretty: string; structured: boolean } | { ok: false; reason: string };

export interface DataAnalysis {
  size: number;
  empty: boolean;
  utf8: Utf8Decoded;
  /** Control characters other than tab, LF and CR (NUL, ESC, DEL, C1...): text that is really binary. */
  hasControlChars: boolean;
  json: JsonResult;
  suggestedTab: DataTab;
}

export function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x09 || code === 0x0a || code === 0x0d) continue;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

export function parseJson(utf8: Utf8Decoded): JsonResult {
  if (!utf8.valid) return { ok: false, reason: 'The data is not valid UTF-8, so it is not JSON.' };
  if (utf8.text.trim() === '') return { ok: false, reason: 'There is no data to parse.' };
  try {
    const value: unknown = JSON.parse(utf8.text);
    return {
      ok: true,
      pretty: JSON.stringify(value, null, 2),
      structured: typeof value === 'object' && value !== null,
    };
  } catch (error) {
    return { ok: false, reason: `Not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * JSON only for objects and arrays: a node holding `42` or `true` reads better as text, and Pegasus
 * keeps plain numbers and addresses in many nodes.
 */
export function suggestTab(utf8: Utf8Decoded, json: JsonResult, controlChars: boolean): DataTab {
  if (utf8.segments.length === 0) return 'text';
  if (json.ok && json.structured) return 'json';
  if (utf8.valid && !controlChars) return 'text';
  return 'hex';
}

export function analyzeData(bytes: Uint8Array): DataAnalysis {
  const utf8 = decodeUtf8Marked(bytes);
  const controlChars = hasControlChars(utf8.text);
  const json = parseJson(utf8);
  return {
    size: bytes.length,
    empty: bytes.length === 0,
    utf8,
    hasControlChars: controlChars,
    json,
    suggestedTab: suggestTab(utf8, json, controlChars),
  };
}
