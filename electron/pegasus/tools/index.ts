/** The Pegasus tools of a cluster profile, run as child processes (design §6). */
export * from './create-tool-access';
export * from './process-runner';
export * from './profile-check';
export * from './redaction';
export type * from './tool-access';
export * from './tool-run-error';
export * from './tool-runners';
