/**
 * The copy form's values per connection, so switching tabs (which unmounts the view) or connections
 * does not lose what the operator typed.
 */
import { create } from 'zustand';
import type { CopyFormValues } from './copy-form-model';

interface CopyFormState {
  forms: Record<string, CopyFormValues>;
  setForm(connectionId: string, values: CopyFormValues): void;
}

export const useCopyFormStore = create<CopyFormState>()((set) => ({
  forms: {},
  setForm(connectionId, values) {
    set((state) => ({ forms: { ...state.forms, [connectionId]: values } }));
  },
}));
