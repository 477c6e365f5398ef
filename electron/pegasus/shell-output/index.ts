/** Parsers for what the Pegasus shell and admin-cli print (reference §6.2, §6.3). */
export * from './app-envs';
export * from './app-list';
export * from './backup';
export * from './bulk-load';
export * from './cluster-info';
export * from './duplication';
export * from './meta-level';
export * from './node-list';
export * from './parse-result';
export * from './recover';
export * from './remote-command';
export * from './scan-progress';
export { isBannerLine, shellLines } from './shell-text';
