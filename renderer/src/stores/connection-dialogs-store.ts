/** Which connection dialog is open: the add/edit form, the delete confirmation, or the mode switch. */
import { create } from 'zustand';

export type ConnectionDialog =
  | { kind: 'create' }
  | { kind: 'edit'; id: string }
  | { kind: 'delete'; id: string }
  | { kind: 'mode'; id: string }
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
