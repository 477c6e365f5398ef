import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  adminCliLine,
  CommandOptionError,
  pegasusShellLine,
  pegasusShellQuote,
  posixCommand,
  posixQuote,
} from '../../../../electron/pegasus/commands/quoting';
import { sdsSplitArgs } from '../../../fixtures/pegasus-shell/sds-split-args.mjs';

const awkward = [
  'plain',
  '',
  'two words',
  "it's",
  'say "hi"',
  'back\\slash',
  'line\nbreak',
  'tab\there',
  '$HOME `id` $(id) ; rm -rf / | cat > x & *',
  'ünïcødé 表',
  '\x01control\x7f',
];

describe('quoting', () => {
  it('leaves safe POSIX words bare and round-trips the rest through a real sh', () => {
    expect(posixQuote('10.0.0.1:34601,10.0.0.2:34601')).toBe('10.0.0.1:34601,10.0.0.2:34601');
    expect(posixQuote('/opt/pegasus/run.sh')).toBe('/opt/pegasus/run.sh');
    expect(posixQuote("it's")).toBe("'it'\\''s'");
    const script = `printf '%s\\0' ${posixCommand(awkward)}`;
    const printed = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
    expect(printed.stdout.split('\0').slice(0, -1)).toEqual(awkward);
  });

  it('round-trips every argument through the Pegasus shell splitter (sdssplitargs)', () => {
    expect(pegasusShellQuote('temp')).toBe('temp');
    expect(pegasusShellQuote('user_')).toBe('user_');
    expect(pegasusShellQuote('two words')).toBe('"two words"');
    expect(pegasusShellQuote('')).toBe('""');
    const line = pegasusShellLine(['copy_data', '-x', ...awkward]);
    expect(line).not.toContain('\n');
    expect(sdsSplitArgs(line)).toEqual(['copy_data', '-x', ...awkward]);
  });

  it('refuses a line break in an admin-cli argument', () => {
    expect(adminCliLine(['dup', 'add', '-c', 'tjsrv'])).toBe('dup add -c tjsrv');
    expect(() => adminCliLine(['use', 'a\nb'])).toThrow(CommandOptionError);
  });
});
