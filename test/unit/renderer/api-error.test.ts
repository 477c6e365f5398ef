import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { ClientTimeoutError, isNoNode, toApiError } from '../../../renderer/src/api/api-error';

describe('toApiError', () => {
  it('keeps the host message, zkCode and field errors without the input. prefix', () => {
    const error = TRPCClientError.from({
      error: {
        code: -32600,
        message: 'Invalid input: input.connectString: Connect string is empty',
        data: {
          code: 'BAD_REQUEST',
          httpStatus: 400,
          zkCode: null,
          fieldErrors: { 'input.connectString': 'Connect string is empty' },
        },
      },
    });
    expect(toApiError(error)).toEqual({
      message: 'Invalid input: input.connectString: Connect string is empty',
      code: 'BAD_REQUEST',
      zkCode: null,
      fieldErrors: { connectString: 'Connect string is empty' },
    });
  });

  it('recognises a deleted node by zkCode or NOT_FOUND', () => {
    const error = TRPCClientError.from({
      error: {
        code: -32004,
        message: 'No node /a',
        data: { code: 'NOT_FOUND', httpStatus: 404, zkCode: 'NO_NODE', fieldErrors: null },
      },
    });
    const problem = toApiError(error);
    expect(problem.zkCode).toBe('NO_NODE');
    expect(isNoNode(problem)).toBe(true);
  });

  it('explains a request that never reached the host, and a client deadline', () => {
    expect(toApiError(TRPCClientError.from(new TypeError('Failed to fetch'))).code).toBe('HOST_UNREACHABLE');
    expect(toApiError(new ClientTimeoutError('Reading /a got no answer within 30 s.'))).toMatchObject({
      code: 'CLIENT_TIMEOUT',
      message: 'Reading /a got no answer within 30 s.',
    });
  });
});
