/** IPC channel names shared by the main process and the preload. */
export const IPC = {
  bootstrap: 'mdesk:bootstrap',
  openFile: 'mdesk:open-file',
  saveFile: 'mdesk:save-file',
} as const;

export interface BootstrapInfo {
  apiUrl: string;
  token: string;
}

export interface OpenFileRequest {
  title?: string;
  filters?: { name: string; extensions: string[] }[];
}

export interface OpenFileResult {
  name: string;
  /** File content as base64: exports are bytes (possibly gzip). */
  dataBase64: string;
}

export interface SaveFileRequest {
  suggestedName: string;
  dataBase64: string;
  filters?: { name: string; extensions: string[] }[];
}
