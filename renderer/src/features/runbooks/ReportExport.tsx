/**
 * The run report (parameters, every step with times, outputs, notes, verify results) saved as a
 * Markdown or HTML file to attach to a change ticket: a save dialog on the desktop, a download in
 * the browser.
 */
import { Alert, Button, Group, Stack } from '@mantine/core';
import { IconFileDownload } from '@tabler/icons-react';
import { useState } from 'react';
import type { ApiError } from '../../api/api-error';
import { bytesToBase64 } from '../../lib/base64';
import { platform } from '../../platform';
import { useRunbooksStore } from '../../stores/runbooks-store';

const FORMATS = {
  markdown: { label: 'Markdown', extension: 'md' },
  html: { label: 'HTML', extension: 'html' },
} as const;

export function ReportExport({ runId }: { runId: string }) {
  const report = useRunbooksStore((state) => state.report);
  const [busy, setBusy] = useState<keyof typeof FORMATS | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const save = async (format: keyof typeof FORMATS) => {
    setBusy(format);
    setError(null);
    setSaved(null);
    try {
      const { fileName, content } = await report(runId, format);
      const where = await platform.saveFile({
        suggestedName: fileName,
        dataBase64: bytesToBase64(new TextEncoder().encode(content)),
        filters: [{ name: `${FORMATS[format].label} report`, extensions: [FORMATS[format].extension] }],
      });
      if (where) setSaved(where);
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setBusy(null);
    }
  };

  return (
    // The buttons stay on one row beside a run's title (they wrapped into a column once the run's
    // time line grew with its end time); what a save says goes below them.
    <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }} data-testid="report-export">
      <Group gap="xs" wrap="nowrap">
        {(Object.keys(FORMATS) as (keyof typeof FORMATS)[]).map((format) => (
          <Button
            key={format}
            size="xs"
            variant="default"
            leftSection={<IconFileDownload size={14} />}
            loading={busy === format}
            onClick={() => void save(format)}
            data-testid={`report-${format}`}
          >
            Report ({FORMATS[format].label})
          </Button>
        ))}
      </Group>
      {saved ? (
        <Alert color="teal" variant="light" p={4} data-testid="report-saved">
          Saved {saved}
        </Alert>
      ) : null}
      {error ? (
        <Alert color="red" variant="light" p={4} data-testid="report-error">
          {error.message}
        </Alert>
      ) : null}
    </Stack>
  );
}
