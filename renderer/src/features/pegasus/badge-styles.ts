/**
 * Mantine's Badge cuts its label with an ellipsis when squeezed; in the Pegasus views a cut status
 * ("DS_REMOVED (W…", "LEAD…", "ZOOKEEPER · MULT…") says nothing, so these badges keep the whole label
 * and their table column or row makes room (or wraps, or scrolls) instead.
 */
export const WHOLE_BADGE_LABEL = { label: { overflow: 'visible' } } as const;
