/** `mdesk runbooks [--json]`: the runbooks this Migration Desk ships, their parameters and steps. */
import { RUNBOOKS } from '../../runbooks';
import { booleanFlag, type CliCommand, EXIT } from '../command';
import { openCliRunner } from '../runbook-services';

export const runbooksCommand: CliCommand = {
  words: ['runbooks'],
  summary: 'list the runbooks (guided procedures) with their parameters and steps',
  usage: '',
  details:
    'With --json, one JSON array: [{id, title, summary, params, steps: [{id, kind, title, why, severity}]}].\n' +
    'Run one with: mdesk run RUNBOOK --param name=value ...',
  flags: [{ name: 'json', kind: 'boolean', help: 'print the list as one JSON array' }],
  async run(context, args) {
    const { runner, close } = openCliRunner(context);
    try {
      const catalog = runner.catalog();
      if (booleanFlag(args, 'json')) {
        context.io.stdout(`${JSON.stringify(catalog)}\n`);
        return EXIT.ok;
      }
      const lines: string[] = [];
      for (const runbook of catalog) {
        lines.push(`${runbook.id}: ${runbook.title}`, `  ${runbook.summary}`, '  Parameters:');
        for (const param of runbook.params) {
          const shown =
            param.default !== undefined
              ? ` (default ${String(param.default)})`
              : param.required
                ? ' (required)'
                : '';
          lines.push(`    ${param.name}${shown}: ${param.help}`);
        }
        lines.push('  Steps:');
        for (const [index, step] of runbook.steps.entries()) {
          lines.push(
            `    ${index + 1}. ${step.title} [${step.kind}${step.severity ? `, ${step.severity}` : ''}]`,
          );
        }
        lines.push('');
      }
      context.io.stdout(`${lines.join('\n')}`);
      return RUNBOOKS.length > 0 ? EXIT.ok : EXIT.failed;
    } finally {
      await close();
    }
  },
};
