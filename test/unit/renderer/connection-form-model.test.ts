import { describe, expect, it } from 'vitest';
import { connectStringError } from '../../../shared/connect-string';
import {
  fieldErrorsToForm,
  initialFormValues,
  liveConnectStringError,
  toConnectionInput,
  validateConnectionForm,
} from '../../../renderer/src/features/connections/connection-form-model';

const valid = { ...initialFormValues(), name: 'local', connectString: '127.0.0.1:2181' };

describe('connection form model', () => {
  it('accepts a minimal valid form and converts seconds to milliseconds', () => {
    expect(validateConnectionForm(valid)).toEqual({});
    expect(toConnectionInput(valid)).toEqual({
      name: 'local',
      connectString: '127.0.0.1:2181',
      sessionTimeoutMs: 15_000,
      connectTimeoutMs: 8000,
    });
  });

  it('gives the same connect string message as the API', () => {
    const values = { ...valid, connectString: 'zk1:2181,,zk2:2181' };
    expect(liveConnectStringError(values)).toBe(connectStringError('zk1:2181,,zk2:2181'));
    expect(validateConnectionForm(values).connectString).toBe(connectStringError('zk1:2181,,zk2:2181'));
  });

  it('reports a missing name and out-of-range timeouts in seconds', () => {
    const errors = validateConnectionForm({
      ...valid,
      name: '  ',
      sessionTimeoutSec: 1,
      connectTimeoutSec: '',
    });
    expect(errors.name).toBe('Enter a name for this connection, e.g. prod-pegasus-zk');
    expect(errors.sessionTimeoutSec).toBe('Enter a session timeout from 2 to 120 s');
    expect(errors.connectTimeoutSec).toBe('Enter the connect timeout in seconds, from 1 to 60');
  });

  it('sends a digest credential only when typed, and the clear flag instead of it', () => {
    expect(toConnectionInput({ ...valid, digestAuth: 'ops:secret' }).digestAuth).toBe('ops:secret');
    expect(validateConnectionForm({ ...valid, digestAuth: 'nocolon' }).digestAuth).toMatch(/user:password/);
    const cleared = toConnectionInput({ ...valid, digestAuth: 'ops:secret', clearDigestAuth: true });
    expect(cleared.clearDigestAuth).toBe(true);
    expect(cleared).not.toHaveProperty('digestAuth');
  });

  it('maps the host field errors, including nested update inputs, onto the form', () => {
    expect(fieldErrorsToForm({ connectString: 'bad', sessionTimeoutMs: 'too small', _: 'other' })).toEqual({
      connectString: 'bad',
      sessionTimeoutSec: 'too small',
      form: 'other',
    });
  });
});
