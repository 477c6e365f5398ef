/**
 * A problem found while reading Pegasus metadata, tied to the znode it concerns, so the operator can
 * open that node in the explorer. Warnings never stop a view from loading (issue 4, item 2).
 */
export interface ModelWarning {
  path: string;
  message: string;
}

/** One line for logs and the CLI: "<path>: <message>". */
export function formatWarning(warning: ModelWarning): string {
  return `${warning.path}: ${warning.message}`;
}
