/**
 * The last step: one summary of the migration (what was planned, copied and validated, by which
 * engine runs) as the run's final result, for the report and for whoever reads the run later.
 */
import type { StepDefinition } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import type { SubtreeMigrationParams } from './params';

const number = new Intl.NumberFormat('en-US');

export const reportStep: StepDefinition<SubtreeMigrationParams> = {
  id: 'report',
  kind: 'action',
  title: 'Summarise the migration',
  why:
    'Puts what was planned, copied and validated in one place, with the engine run ids, so the run ' +
    'report can be attached to the change ticket as it is.',
  async execute(ctx) {
    const { params, results, services } = ctx;
    const plan = results.plan ?? {};
    const validate = results.validate;
    const planRunId = typeof plan.engineRunId === 'string' ? plan.engineRunId : null;
    // After a restart the migrate step may have been found done without a result: the engine run has it.
    let migrate: JsonObject | undefined = results.migrate;
    if (!migrate && planRunId) {
      try {
        const counts = services.copyEngine.get(planRunId).result?.copy?.counts;
        if (counts) migrate = { engineRunId: planRunId, ...counts };
      } catch {
        migrate = undefined;
      }
    }
    const source = services.connection(params.source).label;
    const target = services.connection(params.target).label;
    const result: JsonObject = {
      source: `${source}${params.sourcePath}`,
      target: `${target}${params.targetPath}`,
      mode: params.mode,
      acl: params.acl,
      plan,
      migrate: migrate ?? null,
      validate: validate
        ? {
            compared: validate.compared,
            matching: validate.matching,
            differences: validate.differences,
            passes: validate.passes,
            checkedAt: validate.checkedAt,
          }
        : null,
    };
    const copied = migrate
      ? `${number.format(Number(migrate.created ?? 0))} created, ${number.format(Number(migrate.updated ?? 0))} updated, ${number.format(Number(migrate.deleted ?? 0))} deleted`
      : 'copy counts unknown';
    const validated = validate
      ? `${number.format(Number(validate.matching ?? 0))} nodes match, ${validate.differences} differences`
      : 'not validated (the validate step was skipped)';
    return {
      status: validate ? 'succeeded' : 'warning',
      summary: `${source}${params.sourcePath} -> ${target}${params.targetPath} (${params.mode}): ${copied}; ${validated}`,
      result,
    };
  },
};
