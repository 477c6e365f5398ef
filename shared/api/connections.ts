/** Connection profiles as the API accepts and returns them. Secrets never travel back out. */
import { z } from 'zod';
import { parseConnectString } from '../connect-string';

export const DIGEST_CREDENTIAL = /^[^:\s]+:.+$/;

export const connectionInputSchema = z
  .object({
    name: z.string().trim().min(1, 'name is required').max(100, 'name is longer than 100 characters'),
    connectString: z.string(),
    chroot: z.string().optional(),
    sessionTimeoutMs: z.number().int().min(2000).max(120_000).default(15_000),
    connectTimeoutMs: z.number().int().min(1000).max(60_000).default(8000),
    /** Digest credential `user:password`. Omitted on update means: keep the stored one. */
    digestAuth: z
      .string()
      .regex(DIGEST_CREDENTIAL, 'digest credential must look like user:password')
      .optional(),
    clearDigestAuth: z.boolean().optional(),
  })
  .superRefine((value, ctx) => {
    const parsed = parseConnectString(value.connectString, value.chroot);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['connectString'], message: parsed.error });
  });

export type ConnectionInput = z.input<typeof connectionInputSchema>;

export interface ConnectionProfile {
  id: string;
  name: string;
  connectString: string;
  chroot: string | null;
  sessionTimeoutMs: number;
  connectTimeoutMs: number;
  hasDigestAuth: boolean;
  /** Connections are read-only until the operator switches them. */
  readOnly: boolean;
  createdAt: number;
  updatedAt: number;
}

export const connectionIdSchema = z.object({ connectionId: z.string().min(1) });
