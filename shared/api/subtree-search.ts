/**
 * Searching a subtree by path (prefix, glob, regex) and by content (substring, regex). Results stream
 * as server-sent events with progress; the walk is bounded by a node count, and hitting the bound is
 * reported as such, never as "no more matches".
 */
import { z } from 'zod';
import { compilePathMatcher, compileRegex, MAX_PATTERN_LENGTH } from '../path-match';
import { zkPathSchema } from './zk-node';

export const DEFAULT_SEARCH_MAX_NODES = 100_000;
export const MAX_SEARCH_MAX_NODES = 1_000_000;
export const DEFAULT_SEARCH_MAX_RESULTS = 1000;
export const MAX_SEARCH_MAX_RESULTS = 10_000;

const patternSchema = z.string().min(1, 'pattern is empty').max(MAX_PATTERN_LENGTH);

export const searchInputSchema = z
  .object({
    connectionId: z.string().min(1),
    root: zkPathSchema,
    path: z
      .object({
        mode: z.enum(['prefix', 'glob', 'regex']),
        pattern: patternSchema,
        caseSensitive: z.boolean().default(true),
      })
      .optional(),
    content: z
      .object({
        mode: z.enum(['substring', 'regex']),
        pattern: patternSchema,
        caseSensitive: z.boolean().default(true),
      })
      .optional(),
    maxNodes: z.number().int().min(1).max(MAX_SEARCH_MAX_NODES).default(DEFAULT_SEARCH_MAX_NODES),
    maxResults: z.number().int().min(1).max(MAX_SEARCH_MAX_RESULTS).default(DEFAULT_SEARCH_MAX_RESULTS),
  })
  .superRefine((input, ctx) => {
    if (!input.path && !input.content) {
      ctx.addIssue({
        code: 'custom',
        path: ['path'],
        message: 'give a path pattern, a content pattern, or both',
      });
    }
    if (input.path) {
      const compiled = compilePathMatcher(input.path.mode, input.path.pattern, input.path);
      if (!compiled.ok) ctx.addIssue({ code: 'custom', path: ['path', 'pattern'], message: compiled.error });
    }
    if (input.content?.mode === 'regex') {
      const compiled = compileRegex(input.content.pattern, input.content);
      if (!compiled.ok)
        ctx.addIssue({ code: 'custom', path: ['content', 'pattern'], message: compiled.error });
    }
  });

export type SearchInput = z.input<typeof searchInputSchema>;
export type SearchRequest = z.output<typeof searchInputSchema>;

export interface SearchMatch {
  path: string;
  /** For content matches: the text around the first match (decoded as UTF-8, invalid bytes as U+FFFD). */
  snippet?: string;
  dataLength: number;
  numChildren: number;
  ephemeral: boolean;
}

export type SearchEvent =
  | { type: 'started'; root: string; maxNodes: number; maxResults: number }
  /** A batch of matches, with the counts when it was sent (progress between progress events). */
  | { type: 'matches'; items: SearchMatch[]; visited: number; matched: number }
  | { type: 'progress'; visited: number; matched: number; elapsedMs: number }
  /** A node listed by its parent was deleted before it was read (the tree changed during the search). */
  | { type: 'vanished'; path: string }
  /** A node the connection may not read (NO_AUTH): reported, never skipped silently. */
  | { type: 'unreadable'; path: string; message: string }
  | {
      type: 'done';
      visited: number;
      matched: number;
      elapsedMs: number;
      /** Why the search stopped early, if it did. */
      stoppedBy: 'max-nodes' | 'max-results' | null;
      /** The root did not exist (or was deleted before it was read). */
      rootMissing: boolean;
      vanished: number;
      unreadable: number;
      /** What the operator should read about the result (bounds hit, subtree changed), or null. */
      note: string | null;
    }
  | { type: 'failed'; message: string; visited: number; matched: number };
