/**
 * Export and import of subtrees from the app. Files cross the host's HTTP (a download of the export,
 * an upload of the file to import) next to the typed API, which starts and follows the jobs.
 */
import { z } from 'zod';
import { zkPathSchema } from './zk-node';

/** The host serves finished exports here (GET, token-protected like the API). */
export const EXPORT_DOWNLOAD_PATH = '/files/exports/';
/** Files to import are uploaded here (POST, raw body, `x-file-name` header). */
export const IMPORT_UPLOAD_PATH = '/files/imports';
/** Largest file the host accepts for import. */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

export const exportInputSchema = z.object({
  connectionId: z.string().min(1),
  path: zkPathSchema,
  gzip: z.boolean().default(true),
  withStat: z.boolean().default(false),
});

export interface ExportResult {
  fileId: string;
  /** The name the file is offered under. */
  fileName: string;
  nodeCount: number;
  /** Data bytes exported (not the file size). */
  bytes: number;
  fileBytes: number;
  ephemeral: number;
  complete: boolean;
  unreadable: string[];
}

export interface UploadedFile {
  fileId: string;
  name: string;
  size: number;
}

export const IMPORT_POLICIES = ['skip', 'overwrite', 'fail'] as const;
export type ImportPolicy = (typeof IMPORT_POLICIES)[number];

export const importPreviewInputSchema = z.object({
  connectionId: z.string().min(1),
  fileId: z.string().uuid('fileId must be the id the upload returned'),
  /** Where the file's root goes. */
  path: zkPathSchema,
  policy: z.enum(IMPORT_POLICIES).default('skip'),
});

export const importApplyInputSchema = z.object({
  runId: z.string().min(1).max(64),
  /** For overwrite: the target path typed back (it replaces data and ACLs there). */
  confirmPath: z.string().optional(),
});

export interface ImportFileInfo {
  name: string;
  format: 'migration-desk' | 'zk-shell';
  /** The file's root path (where it was exported from). */
  root: string;
  nodeCount: number;
  complete: boolean;
  exportedAt: number | null;
  source: string | null;
  /** SHA-256 of the file as uploaded. */
  fileDigest: string;
}

export interface ImportPreview {
  runId: string;
  connectionId: string;
  path: string;
  policy: ImportPolicy;
  file: ImportFileInfo;
  creates: number;
  updates: number;
  aclUpdates: number;
  unchanged: number;
  /** Nodes that exist with other data or ACL and that this policy does not write. */
  conflicts: number;
  skippedEphemeral: number;
  unreadable: number;
  samples: Record<string, string[]>;
  /** Why apply is refused as things stand (policy fail with conflicts), or null. */
  blocked: string | null;
}

export interface ImportResult {
  runId: string;
  path: string;
  policy: ImportPolicy;
  created: number;
  updated: number;
  aclUpdated: number;
  unchanged: number;
  conflicts: number;
  skippedEphemeral: number;
  errors: number;
  /** Differences a verify found after the write (null when not verified). */
  verifyDifferences: number | null;
  /** The snapshot taken of the target before an overwrite. */
  snapshotId: string | null;
  samples: Record<string, string[]>;
}
