/**
 * Turns whatever a call threw into what the UI shows: the host's operator-facing message, the
 * ZooKeeper code (to tell "no node" from "unreachable" without parsing text) and field errors.
 */
import { TRPCClientError } from '@trpc/client';

export interface ApiError {
  message: string;
  /** tRPC code: 'NOT_FOUND', 'BAD_REQUEST', 'TIMEOUT'... or 'CLIENT_TIMEOUT' / 'HOST_UNREACHABLE'. */
  code: string;
  zkCode: string | null;
  /** Field name (without the 'input.' prefix of nested inputs) -> message. */
  fieldErrors: Record<string, string>;
}

export class ClientTimeoutError extends Error {
  override name = 'ClientTimeoutError';
}

interface ErrorData {
  code?: string;
  zkCode?: string | null;
  fieldErrors?: Record<string, string> | null;
}

function normalizeFieldErrors(raw: Record<string, string> | null | undefined): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, message] of Object.entries(raw ?? {})) fields[key.replace(/^input\./, '')] = message;
  return fields;
}

const HOST_UNREACHABLE =
  'Lost contact with the Migration Desk host. If it was stopped, start it again and reload this page.';

export function toApiError(error: unknown): ApiError {
  if (error instanceof ClientTimeoutError) {
    return { message: error.message, code: 'CLIENT_TIMEOUT', zkCode: null, fieldErrors: {} };
  }
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? undefined) as ErrorData | undefined;
    if (!data) {
      // No tRPC envelope: the request never reached the API (network down, host stopped, aborted).
      if (error.cause instanceof ClientTimeoutError) return toApiError(error.cause);
      return { message: HOST_UNREACHABLE, code: 'HOST_UNREACHABLE', zkCode: null, fieldErrors: {} };
    }
    return {
      message: error.message,
      code: data.code ?? 'INTERNAL_SERVER_ERROR',
      zkCode: data.zkCode ?? null,
      fieldErrors: normalizeFieldErrors(data.fieldErrors),
    };
  }
  return {
    message: error instanceof Error ? error.message : String(error),
    code: 'UNKNOWN',
    zkCode: null,
    fieldErrors: {},
  };
}

/** The node is gone: deleted by someone else since it was listed. */
export function isNoNode(error: ApiError): boolean {
  return error.zkCode === 'NO_NODE' || error.code === 'NOT_FOUND';
}
