/**
 * Tool argv and input lines as they may appear in logs, audit events and reports. The profile holds
 * no secret and the builders put none in argv, but an operator can type anything into a step: a
 * value after a password-like flag or key is masked before it is recorded anywhere.
 */
const SECRET_NAME = /(pass(word|wd)?|secret|token|credential|api[-_]?key|access[-_]?key)/i;

/** `--password x`, `-password=x`, `password=x` masked; everything else as is. */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    const assignment = /^(-{0,2}[^=\s]+)=(.*)$/.exec(arg);
    if (assignment && SECRET_NAME.test(assignment[1]!)) {
      out.push(`${assignment[1]}=***`);
    } else if (/^-{1,2}\S+$/.test(arg) && SECRET_NAME.test(arg) && index + 1 < argv.length) {
      out.push(arg, '***');
      index += 1;
    } else out.push(arg);
  }
  return out;
}

/** One line of tool input or output with secret-looking values masked. */
export function redactLine(line: string): string {
  return line
    .replace(
      /\b((?:pass(?:word|wd)?|secret|token|credentials?|api[-_]?key|access[-_]?key)\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi,
      '$1***',
    )
    .replace(/(--?(?:pass(?:word|wd)?|secret|token|api-key)(?:=|\s+))\S+/gi, '$1***')
    .replace(/\b(digest[:\s]+[^:\s]+:)\S+/gi, '$1***');
}
