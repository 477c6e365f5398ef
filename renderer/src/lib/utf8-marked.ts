/**
 * UTF-8 decoding that says where the bytes were not UTF-8. `TextDecoder` replaces bad sequences with
 * U+FFFD, but then a real U+FFFD in the data looks the same as a broken byte; the Text view must mark
 * exactly the bytes that did not decode. This follows the WHATWG decoder (one U+FFFD per maximal
 * invalid subpart), so the joined text equals `new TextDecoder('utf-8', { ignoreBOM: true })`'s output.
 */

export const REPLACEMENT_CHAR = '\uFFFD';

export interface Utf8Segment {
  /** Decoded text; for an invalid segment one U+FFFD per invalid sequence. */
  text: string;
  invalid: boolean;
  byteOffset: number;
  byteLength: number;
}

export interface Utf8Decoded {
  text: string;
  /** Alternating runs of valid text and invalid bytes, in byte order. Empty for empty input. */
  segments: Utf8Segment[];
  valid: boolean;
  /** How many U+FFFD the decoder had to insert. */
  invalidSequences: number;
}

/** Turns collected UTF-16 code units into a string in slices: spreading a huge array blows the stack. */
function unitsToString(units: number[]): string {
  const SLICE = 8192;
  if (units.length <= SLICE) return String.fromCharCode(...units);
  const parts: string[] = [];
  for (let i = 0; i < units.length; i += SLICE) parts.push(String.fromCharCode(...units.slice(i, i + SLICE)));
  return parts.join('');
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Valid UTF-8 (the common case: JSON, addresses) decodes natively, ~10x faster than the loop below. */
function decodeIfValid(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

export function decodeUtf8Marked(bytes: Uint8Array): Utf8Decoded {
  if (bytes.length === 0) return { text: '', segments: [], valid: true, invalidSequences: 0 };
  const fast = decodeIfValid(bytes);
  if (fast !== undefined) {
    return {
      text: fast,
      segments: [{ text: fast, invalid: false, byteOffset: 0, byteLength: bytes.length }],
      valid: true,
      invalidSequences: 0,
    };
  }
  const segments: Utf8Segment[] = [];
  let units: number[] = [];
  let validStart = 0;
  let invalidSequences = 0;

  const flushValid = (end: number) => {
    if (end > validStart)
      segments.push({
        text: unitsToString(units),
        invalid: false,
        byteOffset: validStart,
        byteLength: end - validStart,
      });
    units = [];
  };
  const markInvalid = (start: number, end: number) => {
    invalidSequences++;
    flushValid(start);
    const last = segments[segments.length - 1];
    // Adjacent invalid sequences share one segment: one mark for a run of garbage, not one per byte.
    if (last?.invalid && last.byteOffset + last.byteLength === start) {
      last.text += REPLACEMENT_CHAR;
      last.byteLength = end - last.byteOffset;
    } else {
      segments.push({ text: REPLACEMENT_CHAR, invalid: true, byteOffset: start, byteLength: end - start });
    }
    validStart = end;
  };
  const emit = (codePoint: number) => {
    if (codePoint > 0xffff) {
      const v = codePoint - 0x10000;
      units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
    } else {
      units.push(codePoint);
    }
  };

  let needed = 0;
  let seen = 0;
  let codePoint = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let sequenceStart = 0;

  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (needed === 0) {
      sequenceStart = i;
      if (byte <= 0x7f) {
        emit(byte);
      } else if (byte >= 0xc2 && byte <= 0xdf) {
        needed = 1;
        codePoint = byte & 0x1f;
      } else if (byte >= 0xe0 && byte <= 0xef) {
        if (byte === 0xe0) lower = 0xa0;
        if (byte === 0xed) upper = 0x9f;
        needed = 2;
        codePoint = byte & 0x0f;
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        if (byte === 0xf0) lower = 0x90;
        if (byte === 0xf4) upper = 0x8f;
        needed = 3;
        codePoint = byte & 0x07;
      } else {
        markInvalid(i, i + 1);
      }
      continue;
    }
    if (byte < lower || byte > upper) {
      // The sequence so far is the maximal invalid subpart; this byte starts over on its own.
      needed = 0;
      seen = 0;
      codePoint = 0;
      lower = 0x80;
      upper = 0xbf;
      markInvalid(sequenceStart, i);
      i--;
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    codePoint = (codePoint << 6) | (byte & 0x3f);
    seen++;
    if (seen === needed) {
      emit(codePoint);
      needed = 0;
      seen = 0;
      codePoint = 0;
    }
  }
  if (needed !== 0) markInvalid(sequenceStart, bytes.length);
  else flushValid(bytes.length);

  return {
    text: segments.map((segment) => segment.text).join(''),
    segments,
    valid: invalidSequences === 0,
    invalidSequences,
  };
}
