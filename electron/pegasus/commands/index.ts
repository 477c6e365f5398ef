/** Command builders: what a step runs through a tool, or shows for the operator to paste. */
export * from './backup-commands';
export * from './bulk-load-commands';
export * from './cluster-commands';
export * from './duplication-commands';
export * from './generated';
export * from './invocation';
export * from './meta-config';
export * from './quoting';
export * from './table-commands';
