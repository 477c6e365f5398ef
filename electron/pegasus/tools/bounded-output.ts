/**
 * A stream's text kept in memory within a byte budget: the first half and the last half of what it
 * printed, with a note where lines were dropped. A `copy_data` over a large table prints a line a
 * second for hours; the head (parameters, errors at start) and the tail (final counts, the error
 * that stopped it) are what parsers and operators read. Every line still reaches onLine.
 */
export class BoundedOutput {
  private readonly head: string[] = [];
  private headBytes = 0;
  private readonly tail: string[] = [];
  private tailStart = 0;
  private tailBytes = 0;
  private droppedLines = 0;
  private droppedBytes = 0;

  constructor(private readonly maxBytes: number) {}

  push(line: string): void {
    const bytes = Buffer.byteLength(line) + 1;
    const half = this.maxBytes / 2;
    if (this.droppedLines === 0 && this.tail.length === this.tailStart && this.headBytes + bytes <= half) {
      this.head.push(line);
      this.headBytes += bytes;
      return;
    }
    this.tail.push(line);
    this.tailBytes += bytes;
    while (this.tailBytes > half && this.tail.length - this.tailStart > 1) {
      const dropped = this.tail[this.tailStart]!;
      this.tailStart += 1;
      const droppedBytes = Buffer.byteLength(dropped) + 1;
      this.tailBytes -= droppedBytes;
      this.droppedLines += 1;
      this.droppedBytes += droppedBytes;
    }
    // A queue without shift(): dropped lines are skipped by index and compacted now and then.
    if (this.tailStart > 4096 && this.tailStart * 2 > this.tail.length) {
      this.tail.splice(0, this.tailStart);
      this.tailStart = 0;
    }
  }

  get truncated(): boolean {
    return this.droppedLines > 0;
  }

  text(): string {
    const lines = [...this.head];
    if (this.droppedLines > 0) {
      lines.push(
        `[… ${this.droppedLines} lines (${this.droppedBytes} bytes) not kept here: the output passed the ` +
          `${Math.round(this.maxBytes / 1024)} KiB kept in memory; every line was streamed as it came …]`,
      );
    }
    for (let index = this.tailStart; index < this.tail.length; index += 1) lines.push(this.tail[index]!);
    return lines.length > 0 ? `${lines.join('\n')}\n` : '';
  }
}

/**
 * Splits a byte stream into lines (UTF-8, \n or \r\n). A line longer than `maxLineBytes` is cut
 * and marked rather than buffered without end.
 */
export class LineSplitter {
  private partial = '';
  private cut = false;
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly emit: (line: string) => void,
    private readonly maxLineChars = 64 * 1024,
  ) {}

  write(chunk: Buffer): void {
    this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  end(): void {
    this.feed(this.decoder.decode());
    if (this.partial !== '' && !this.cut) this.emit(this.partial.replace(/\r$/, ''));
    this.partial = '';
  }

  private feed(text: string): void {
    let from = 0;
    for (let newline = text.indexOf('\n', from); newline >= 0; newline = text.indexOf('\n', from)) {
      const piece = text.slice(from, newline);
      from = newline + 1;
      if (this.cut) this.cut = false;
      else this.emit((this.partial + piece).replace(/\r$/, ''));
      this.partial = '';
    }
    if (this.cut) return;
    this.partial += text.slice(from);
    if (this.partial.length > this.maxLineChars) {
      this.emit(`${this.partial.slice(0, this.maxLineChars)} […line cut at ${this.maxLineChars} characters]`);
      this.partial = '';
      this.cut = true;
    }
  }
}
