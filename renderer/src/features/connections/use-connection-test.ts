/** Runs `connections.test` for the form's current values; one test at a time, the latest wins. */
import { useCallback, useRef, useState } from 'react';
import { type ApiError, toApiError } from '../../api/api-error';
import { api } from '../../api/client';
import type { ConnectionInput, ConnectionTestResult } from '../../api/types';
import { withDeadline } from '../../api/with-timeout';

export interface ConnectionTestState {
  running: boolean;
  result: ConnectionTestResult | null;
  error: ApiError | null;
}

const IDLE: ConnectionTestState = { running: false, result: null, error: null };

export function useConnectionTest() {
  const [state, setState] = useState<ConnectionTestState>(IDLE);
  const latest = useRef(0);

  const run = useCallback(async (input: ConnectionInput, id?: string) => {
    const attempt = ++latest.current;
    setState({ running: true, result: null, error: null });
    try {
      // The host gives up after the connect timeout; allow it a little longer to answer.
      const deadline = (input.connectTimeoutMs ?? 8000) + 5000;
      const result = await withDeadline(deadline, 'The connection test', (signal) =>
        api.connections.test.mutate({ input, ...(id ? { id } : {}) }, { signal }),
      );
      if (attempt === latest.current) setState({ running: false, result, error: null });
    } catch (error) {
      if (attempt === latest.current) setState({ running: false, result: null, error: toApiError(error) });
    }
  }, []);

  const clear = useCallback(() => {
    latest.current++;
    setState(IDLE);
  }, []);

  return { ...state, run, clear };
}
