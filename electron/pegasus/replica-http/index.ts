/** Replica server HTTP (reference §5): per-server GETs, payload parsers, whole-table surveys. */
export * from './replica-http-get';
export * from './replica-payloads';
export * from './table-survey';
export * from './replica-metrics';
