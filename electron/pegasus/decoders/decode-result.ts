/**
 * What every Pegasus payload decoder returns, and the JSON reading they share.
 *
 * Node data arrives as bytes; this is the only place it becomes text (UTF-8, strict). Decoders never
 * throw: a payload that does not parse comes back as `{ ok: false, error, raw }` so a view can show
 * it raw with a warning (issue 4, item 2).
 *
 * Tolerance follows the meta server's own decoder: missing keys are fine (reference §1.3,
 * `JSON_TRY_DECODE_ENTRY` skips them, so older payloads decode), but a key that is present must
 * parse. Keys we do not know are kept in `unknownKeys` instead of being dropped silently.
 */

export interface DecodeSuccess<T> {
  ok: true;
  value: T;
  /** Top-level keys this decoder does not know (a newer Pegasus, or a hand edit). */
  unknownKeys: string[];
  /** Known keys of the payload's field set that are absent (older writers; defaults apply). */
  missingKeys: string[];
}

export interface DecodeFailure {
  ok: false;
  /** What is wrong, in words an operator can act on. */
  error: string;
  /** The exact bytes, for the raw view. */
  raw: Buffer;
}

export type DecodeResult<T> = DecodeSuccess<T> | DecodeFailure;

/** Thrown inside decoders only; `guardDecode` turns it (and anything else) into a DecodeFailure. */
export class PayloadError extends Error {
  override name = 'PayloadError';
}

/** Runs a decoder body and converts any exception into a failure result: decoders never throw. */
export function guardDecode<T>(raw: Buffer, decode: () => DecodeSuccess<T>): DecodeResult<T> {
  try {
    return decode();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: message, raw };
  }
}

export function success<T>(
  value: T,
  unknownKeys: string[] = [],
  missingKeys: string[] = [],
): DecodeSuccess<T> {
  return { ok: true, value, unknownKeys, missingKeys };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes node data as UTF-8, refusing invalid sequences instead of replacing them. */
export function decodeUtf8(raw: Buffer): string {
  try {
    return strictUtf8.decode(raw);
  } catch {
    throw new PayloadError(`data is not valid UTF-8 text (${raw.length} bytes)`);
  }
}

/**
 * Parses node data as one JSON object. The meta server writes compact rapidjson objects
 * (reference §2); anything else (empty data, arrays, scalars, truncated text) is a failure.
 */
export function parseJsonObject(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) throw new PayloadError('data is empty, expected a JSON object');
  const text = decodeUtf8(raw);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new PayloadError(`data is not valid JSON: ${detail}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PayloadError(`data is JSON but not an object (found ${describe(parsed)})`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * The C++ scope prefix of a registered enum is dropped (`app_status::AS_AVAILABLE` becomes
 * `AS_AVAILABLE`, `replication::bulk_load_status::BLS_PAUSED` becomes `BLS_PAUSED`): the strings are
 * the literal `ENUM_REG(...)` tokens (reference §2), and the short token is what the shell prints.
 */
export function enumToken(value: string): string {
  const cut = value.lastIndexOf('::');
  return (cut >= 0 ? value.slice(cut + 2) : value).trim();
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  return `a ${typeof value}`;
}

/**
 * Typed, key-by-key access to one decoded JSON object. Every getter returns `null` for a missing key
 * and throws PayloadError (naming the key) for a present key of the wrong type.
 */
export class JsonFields {
  constructor(
    private readonly source: Record<string, unknown>,
    private readonly knownKeys: readonly string[],
    private readonly context = '',
  ) {}

  has(key: string): boolean {
    return Object.hasOwn(this.source, key);
  }

  /** The raw value of a key, for decoders that accept several shapes. */
  raw(key: string): unknown {
    return this.has(key) ? this.source[key] : undefined;
  }

  unknownKeys(): string[] {
    return Object.keys(this.source).filter((key) => !this.knownKeys.includes(key));
  }

  /** Which of `expected` are absent (defaults to every known key). */
  missingKeys(expected: readonly string[] = this.knownKeys): string[] {
    return expected.filter((key) => !this.has(key));
  }

  string(key: string): string | null {
    const value = this.value(key);
    if (value === undefined) return null;
    if (typeof value !== 'string') throw this.typeError(key, 'a string', value);
    return value;
  }

  /** Integers (int32/int64 in C++). Values beyond 2^53 lose precision in JavaScript; none are expected. */
  integer(key: string): number | null {
    const value = this.value(key);
    if (value === undefined) return null;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw this.typeError(key, 'an integer', value);
    return value;
  }

  /** Bools are written as 0/1 and read back from int or bool (reference §0.3, §2). */
  boolean(key: string): boolean | null {
    const value = this.value(key);
    if (value === undefined) return null;
    if (value === true || value === 1) return true;
    if (value === false || value === 0) return false;
    throw this.typeError(key, '0/1 or true/false', value);
  }

  stringArray(key: string): string[] | null {
    const value = this.value(key);
    if (value === undefined) return null;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      throw this.typeError(key, 'an array of strings', value);
    }
    return value as string[];
  }

  integerArray(key: string): number[] | null {
    const value = this.value(key);
    if (value === undefined) return null;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'number' && Number.isInteger(item))) {
      throw this.typeError(key, 'an array of integers', value);
    }
    return value as number[];
  }

  /** A JSON object whose values are all strings (envs, app_names). */
  stringMap(key: string): Record<string, string> | null {
    const value = this.value(key);
    if (value === undefined) return null;
    if (!isPlainObject(value) || !Object.values(value).every((item) => typeof item === 'string')) {
      throw this.typeError(key, 'an object of strings', value);
    }
    return { ...(value as Record<string, string>) };
  }

  /** A nested object, read with its own JsonFields. */
  object(key: string, knownKeys: readonly string[]): JsonFields | null {
    const value = this.value(key);
    if (value === undefined) return null;
    if (!isPlainObject(value)) throw this.typeError(key, 'an object', value);
    return new JsonFields(value, knownKeys, `${this.context}${key}.`);
  }

  /** An enum written as a string, with its C++ scope prefix removed. */
  enumToken(key: string): string | null {
    const value = this.string(key);
    return value === null ? null : enumToken(value);
  }

  private value(key: string): unknown {
    return this.has(key) ? this.source[key] : undefined;
  }

  private typeError(key: string, expected: string, value: unknown): PayloadError {
    return new PayloadError(`'${this.context}${key}' should be ${expected}, found ${describe(value)}`);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
