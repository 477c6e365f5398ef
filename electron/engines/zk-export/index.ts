/** Export and import of ZooKeeper subtrees: the file format, its reader and writer, and a live export. */
export {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportedNode,
  type ExportedTree,
  ExportFormatError,
  parseExport,
} from './export-format';
export { ExportWriter, readExportFile, wantsGzip } from './export-file';
export { type ExportSummary, exportTree, type ExportTreeOptions } from './export-tree';
export { SnapshotReader } from './snapshot-reader';
