/**
 * tRPC initialisation for the core host. Errors leave the API with a message an operator can act on:
 * input errors name the field, ZooKeeper errors carry their code so the UI can tell "no node" from
 * "unreachable" without parsing text.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { HostServices } from './services/host-services';

export interface HostContext {
  services: HostServices;
}

interface CodedError {
  code: string;
  path?: string;
}

function zkCodeOf(cause: unknown): string | null {
  if (cause && typeof cause === 'object' && 'zkCode' in cause)
    return String((cause as { zkCode: unknown }).zkCode);
  if (cause && typeof cause === 'object' && cause.constructor?.name === 'ZkError')
    return (cause as CodedError).code;
  return null;
}

export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

const t = initTRPC.context<HostContext>().create({
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      message: zod ? `Invalid input: ${describeZodError(zod)}` : shape.message,
      data: {
        ...shape.data,
        // The stack never leaves the host: it can carry paths of the operator's machine.
        stack: undefined,
        fieldErrors: zod
          ? Object.fromEntries(zod.issues.map((issue) => [issue.path.join('.') || '_', issue.message]))
          : null,
        zkCode: zkCodeOf(error.cause),
      },
    };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;

/** Wraps a domain error (ZkError, store errors) so its message and code reach the client intact. */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const zkCode = zkCodeOf(error);
  const code =
    zkCode === 'NO_NODE'
      ? 'NOT_FOUND'
      : zkCode === 'NO_AUTH' || zkCode === 'AUTH_FAILED' || zkCode === 'READ_ONLY'
        ? 'FORBIDDEN'
        : zkCode === 'BAD_VERSION' || zkCode === 'NODE_EXISTS' || zkCode === 'NOT_EMPTY'
          ? 'CONFLICT'
          : zkCode === 'BAD_ARGUMENTS'
            ? 'BAD_REQUEST'
            : // The host is the gateway to ZooKeeper: upstream failures are 502/504. Never tRPC's
              // TIMEOUT: it is HTTP 408, which Chromium silently retries, doubling every wait.
              zkCode === 'UNREACHABLE'
              ? 'BAD_GATEWAY'
              : zkCode === 'TIMEOUT' || zkCode === 'CONNECTION_LOSS' || zkCode === 'SESSION_EXPIRED'
                ? 'GATEWAY_TIMEOUT'
                : 'INTERNAL_SERVER_ERROR';
  return new TRPCError({ code, message, cause: error instanceof Error ? error : undefined });
}

/** Runs fn and turns any domain error into a TRPCError that keeps its message. */
export async function guarded<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toTRPCError(error);
  }
}
