/**
 * Which of two reads of one node's child list is newer. Reads of the same node can answer out of
 * order (each rides a different HTTP batch, and a batch waits for its slowest call), so a list read
 * before a deletion could land after the re-read a watch asked for and bring the deleted row back
 * with no further event to correct it. A node's pzxid (the transaction that last changed its
 * children) only grows, even across a delete and re-create, so it orders the reads.
 */

/** True when a list read at `readPzxid` is older than the one shown (read at `shownPzxid`). */
export function isOlderChildList(shownPzxid: string | undefined, readPzxid: string): boolean {
  if (shownPzxid === undefined) return false;
  try {
    return BigInt(readPzxid) < BigInt(shownPzxid);
  } catch {
    // Not a zxid we can compare (never from the host): take the read, as before this check.
    return false;
  }
}
