/**
 * Splits what a ZooKeeper socket delivers into whole frames (a 4-byte length, then the packet).
 *
 * Why: node-zookeeper-client handles one frame per call and, when a chunk holds more, calls itself
 * again after copying the whole rest of the chunk (Buffer.concat with nothing): a 64 KiB chunk of
 * 300 answers is copied 300 times. Under a pipelined walk that copying and its garbage were most of
 * the client's CPU. Fed whole frames, the client never copies; a frame split across chunks is joined
 * once, when its last byte arrives. Partial data never outlives its socket (the client's own buffer
 * would be carried over to the next connection).
 */
export class FrameSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** Length (prefix included) of the frame being assembled, once its prefix has arrived. */
  private needed: number | undefined;
  private socket: unknown;

  /**
   * Feeds a chunk read from `socket`; calls `emit` once per complete frame, in order, until `stop()`
   * says to (the connection was dropped while handling an earlier frame).
   */
  push(
    socket: unknown,
    chunk: Buffer,
    emit: (frame: Buffer) => void,
    stop: () => boolean = () => false,
  ): void {
    if (socket !== this.socket) {
      this.socket = socket;
      this.reset();
    }
    if (chunk.length === 0) return;
    let buffer = chunk;
    if (this.partBytes > 0) {
      const total = this.partBytes + chunk.length;
      if (this.needed === undefined && total >= 4) {
        // The prefix is complete now: read it once (at most 4 small pieces are joined for it).
        this.needed = Buffer.concat([...this.parts, chunk], total).readInt32BE(0) + 4;
      }
      if (this.needed === undefined || total < this.needed) {
        // Still not a whole frame (a large getChildren answer): keep the pieces, copy nothing yet.
        this.parts.push(chunk);
        this.partBytes = total;
        return;
      }
      buffer = Buffer.concat([...this.parts, chunk], total);
      this.reset();
    }
    let offset = 0;
    while (buffer.length - offset >= 4 && !stop()) {
      const size = buffer.readInt32BE(offset);
      if (size < 0) {
        // Not a frame we understand: hand the rest over as it is, the client decides what to do.
        emit(buffer.subarray(offset));
        return;
      }
      if (buffer.length - offset < size + 4) break;
      emit(buffer.subarray(offset, offset + size + 4));
      offset += size + 4;
    }
    if (offset < buffer.length && !stop()) {
      const rest = buffer.subarray(offset);
      this.parts = [rest];
      this.partBytes = rest.length;
      this.needed = rest.length >= 4 ? rest.readInt32BE(0) + 4 : undefined;
    }
  }

  private reset(): void {
    this.parts = [];
    this.partBytes = 0;
    this.needed = undefined;
  }
}
