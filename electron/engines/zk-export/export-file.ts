/**
 * Writing and reading export files. Written as a stream (one node at a time, gzip optional), so an
 * export of a large tree never holds the tree in memory; written to a temporary name and renamed at
 * the end, so a crash never leaves a file that looks like a finished export.
 */
import { createWriteStream, mkdirSync, readFileSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { createGzip, gunzipSync, type Gzip } from 'node:zlib';
import type { ZkAcl, ZkStatRaw } from '../../zk/types';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportedNodeJson,
  ExportFormatError,
  type ExportedTree,
  type ExportHeader,
  parseExport,
} from './export-format';

/** Whether a file name asks for gzip. */
export function wantsGzip(file: string): boolean {
  return /\.gz$/i.test(file);
}

export class ExportWriter {
  private readonly temporary: string;
  private readonly out: WriteStream;
  private readonly sink: Gzip | WriteStream;
  private nodes = 0;
  private finished = false;

  private constructor(
    readonly file: string,
    header: Omit<ExportHeader, 'format' | 'version'>,
    gzip: boolean,
  ) {
    this.temporary = `${file}.partial-${process.pid}`;
    // Exports hold node data (and ACL ids): private, like the store.
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.out = createWriteStream(this.temporary, { mode: 0o600 });
    if (gzip) {
      const zip = createGzip();
      zip.pipe(this.out);
      this.sink = zip;
    } else {
      this.sink = this.out;
    }
    const head: ExportHeader = { format: EXPORT_FORMAT, version: EXPORT_VERSION, ...header };
    // The header's fields, then the node list; the count and completeness close the document.
    this.sink.write(`${JSON.stringify(head).slice(0, -1)},"nodes":[\n`);
  }

  /** Opens a writer; gzip defaults to the file name ending in .gz. */
  static open(
    file: string,
    header: Omit<ExportHeader, 'format' | 'version'>,
    options: { gzip?: boolean } = {},
  ): ExportWriter {
    return new ExportWriter(file, header, options.gzip ?? wantsGzip(file));
  }

  get count(): number {
    return this.nodes;
  }

  /** Appends a node; resolves when the stream can take more (backpressure). */
  async add(node: {
    path: string;
    data: Buffer;
    acl: ZkAcl[];
    ephemeral: boolean;
    stat?: ZkStatRaw;
  }): Promise<void> {
    const entry: ExportedNodeJson = {
      path: node.path,
      data: node.data.toString('base64'),
      acl: node.acl,
      ephemeral: node.ephemeral,
    };
    if (node.stat) entry.stat = node.stat;
    const text = `${this.nodes === 0 ? '' : ',\n'}${JSON.stringify(entry)}`;
    this.nodes += 1;
    if (!this.sink.write(text)) await once(this.sink, 'drain');
  }

  /** Closes the document and moves it to its final name. */
  async finish(summary: { complete: boolean; unreadable: string[] }): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.sink.end(
      `\n],"nodeCount":${this.nodes},"complete":${summary.complete},"unreadable":${JSON.stringify(summary.unreadable)}}\n`,
    );
    await once(this.out, 'close');
    renameSync(this.temporary, this.file);
  }

  /** Drops the partial file (after a failure). */
  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.sink.end();
    await once(this.out, 'close').catch(() => undefined);
    rmSync(this.temporary, { force: true });
  }
}

/** Reads an export (gzip detected by its magic bytes) in either supported format. */
export function readExportFile(file: string): ExportedTree {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (error) {
    throw new ExportFormatError(
      `Cannot read the export ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const bytes = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ExportFormatError(
      `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}): it may be truncated`,
    );
  }
  return parseExport(document, file);
}
