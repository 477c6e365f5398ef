/** Which connection dialog is open: the add/edit form or the delete confirmation. */
import { create } from 'zustand';

export type ConnectionDialog =
  | { kind: 'create' }
  | { kind: 'edit'; id: string }
  | { kind: 'delete'; id: string }
  | null;

interface ConnectionDialogsState {
  dialog: ConnectionDialog;
  open(dialog: Exclude<ConnectionDialog, null>): void;
  close(): void;
}

export const useConnectionDialogs = create<ConnectionDialogsState>()((set) => ({
  dialog: null,
  open: (dialog) => set({ dialog }),
  close: () => set({ dialog: null }),
}));
