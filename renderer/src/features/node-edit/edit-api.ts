/**
 * The write calls of the explorer, each rejecting with an ApiError (so dialogs can show the host's
 * message and field errors), and the event stream of a recursive write job.
 */
import type { TreeJobEvent } from '../../../../shared/api/node-edit';
import { toApiError } from '../../api/api-error';
import { api } from '../../api/client';
import type { ApiInputs } from '../../api/types';

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toApiError(error);
  }
}

type EditInputs = ApiInputs['edit'];

export const editApi = {
  create: (input: EditInputs['create']) => call(() => api.edit.create.mutate(input)),
  setData: (input: EditInputs['setData']) => call(() => api.edit.setData.mutate(input)),
  remove: (input: EditInputs['remove']) => call(() => api.edit.remove.mutate(input)),
  countTree: (input: EditInputs['countTree']) => call(() => api.edit.countTree.query(input)),
  removeTree: (input: EditInputs['removeTree']) => call(() => api.edit.removeTree.mutate(input)),
  setAcl: (input: EditInputs['setAcl']) => call(() => api.edit.setAcl.mutate(input)),
  cancelJob: (jobId: string) => call(() => api.edit.cancelJob.mutate({ jobId })),
  setMode: (input: ApiInputs['connections']['setMode']) => call(() => api.connections.setMode.mutate(input)),
};

/** Follows a job's events until its outcome; returns a function that stops following. */
export function followJob(
  jobId: string,
  handlers: { onEvent(event: TreeJobEvent): void; onError(message: string): void },
): () => void {
  let finished = false;
  const subscription = api.edit.job.subscribe(
    { jobId },
    {
      onData: (event) => {
        handlers.onEvent(event);
        if (event.type === 'done' || event.type === 'failed') {
          finished = true;
          subscription.unsubscribe();
        }
      },
      onError: (error) => {
        if (!finished) handlers.onError(toApiError(error).message);
      },
    },
  );
  return () => subscription.unsubscribe();
}
