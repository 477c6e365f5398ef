/** Values the ZooKeeper global setup hands to test files (read them with `inject('zkPrimary')`). */
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connect string (127.0.0.1:port) of the first standalone server. */
    zkPrimary: string;
    /** Connect string of the second server (copy target in engine tests). */
    zkSecondary: string;
    /** Directory of the first server (zoo.cfg, data/, zookeeper.log). */
    zkPrimaryDir: string;
  }
}
