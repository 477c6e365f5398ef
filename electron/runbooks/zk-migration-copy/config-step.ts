/**
 * The config change of zk-migration-copy: every meta server's `[zookeeper] hosts_list` names the
 * new ensemble (and, when the root moves, `cluster_root` and the lock root). Nothing restarts here:
 * the next steps restart the leader, then the followers, and check each.
 */
import type { GeneratedCommand } from '../../../shared/api/runs';
import type { StepDefinition } from '../../runner/runbook-definition';
import { deploymentClusterName } from '../pegasus-steps/cluster-profile';
import { metaConfigForEnsemble } from '../pegasus-steps/ensemble-config';
import type { ZkMigrationCopyParams } from './params';
import { clusterFacts, lockAtStart, targetOf } from './run-facts';

export const updateHostsListStep: StepDefinition<ZkMigrationCopyParams> = {
  id: 'update-hosts-list',
  kind: 'manual',
  title: 'Point the meta config at the new ensemble',
  why:
    'The meta servers find ZooKeeper through [zookeeper] hosts_list, read only at start. Change it in every ' +
    "meta's config now (all of them: a follower started later with the old list would lead the old tree); " +
    'the restarts come next, leader first.',
  commands(ctx) {
    const found = clusterFacts(ctx);
    if (!found.ok) throw new Error(found.outcome.summary);
    const { facts } = found;
    const target = targetOf(ctx);
    if (!target.ok) throw new Error(target.outcome.summary);
    const { ensemble } = target;
    const lines = metaConfigForEnsemble({
      ensemble,
      oldRoot: facts.root,
      newRoot: facts.targetRoot,
      oldLockDir: lockAtStart(ctx)?.lockDir ?? null,
    });
    const cluster = deploymentClusterName(facts.profile);
    // With Minos the keys live in the cluster's deployment config, which the restarts push.
    return lines.map(
      (line): GeneratedCommand => ({
        ...line,
        label: `${line.label} (with Minos: pegasus-${cluster}.cfg, or .yaml with Minos 2)`,
      }),
    );
  },
};
