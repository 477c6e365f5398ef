import { describe, expect, it } from 'vitest';
import { CancelledError, RunControl } from '../../../electron/engines/zk-copy/run-control';

describe('RunControl', () => {
  it('passes while running, settles once and waits while paused, then continues', async () => {
    const control = new RunControl();
    await control.gate();
    control.pause();
    let settled = 0;
    let passed = false;
    const gate = control
      .gate(async () => {
        settled += 1;
      })
      .then(() => (passed = true));
    await control.whenParked();
    expect(control.parked).toBe(true);
    expect(settled).toBe(1);
    expect(passed).toBe(false);
    control.resume();
    await gate;
    expect(passed).toBe(true);
    expect(control.parked).toBe(false);
  });

  it('throws CancelledError at the gate once cancelled, also while paused', async () => {
    const control = new RunControl();
    control.pause();
    const gate = control.gate();
    control.cancel();
    await expect(gate).rejects.toBeInstanceOf(CancelledError);
    await expect(control.gate()).rejects.toBeInstanceOf(CancelledError);
    control.resume();
    expect(control.state).toBe('cancelled');
  });
});
