/**
 * The node's bytes in four views: text, JSON, hex, base64. The tab opens on the best guess (JSON,
 * else clean text, else hex) and the operator can switch; bytes are decoded once per data, never
 * round-tripped through text. Gzip data is shown decompressed, with a note and a way to see the
 * stored bytes; "Copy" copies what the current tab shows.
 */
import { Alert, Badge, Button, CopyButton, Group, Loader, Tabs, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { base64ToBytes, bytesToBase64 } from '../../lib/base64';
import { bytesToHex } from '../../lib/data-encode';
import { analyzeData, type DataAnalysis } from '../../lib/data-format';
import { Base64View } from './Base64View';
import { HexView } from './HexView';
import { JsonView } from './JsonView';
import { TextView } from './TextView';
import { useGzipView } from './use-gzip-view';

type Tab = 'text' | 'json' | 'hex' | 'base64';

const sizeFormat = new Intl.NumberFormat();

/** The value a tab shows, as the operator would paste it. */
function copyValueOf(tab: Tab, bytes: Uint8Array, analysis: DataAnalysis): string {
  if (tab === 'hex') return bytesToHex(bytes);
  if (tab === 'base64') return bytesToBase64(bytes);
  if (tab === 'json' && analysis.json.ok) return analysis.json.pretty;
  return analysis.utf8.text;
}

export function NodeDataTabs({ dataBase64 }: { dataBase64: string }) {
  const decoded = useMemo(() => {
    try {
      return { bytes: base64ToBytes(dataBase64), error: null };
    } catch (error) {
      return { bytes: new Uint8Array(), error: error instanceof Error ? error.message : String(error) };
    }
  }, [dataBase64]);
  const stored = decoded.bytes;
  const gzip = useGzipView(stored);
  const [showStored, setShowStored] = useState(false);
  const bytes = gzip.kind === 'inflated' && !showStored ? gzip.bytes : stored;
  const analysis = useMemo(() => analyzeData(bytes), [bytes]);
  const [chosen, setChosen] = useState<Tab | null>(null);
  const tab: Tab = chosen ?? analysis.suggestedTab;
  const shownBase64 = useMemo(
    () => (bytes === stored ? dataBase64 : bytesToBase64(bytes)),
    [bytes, stored, dataBase64],
  );

  if (decoded.error) {
    return (
      <Alert color="red" variant="light" title="The data could not be decoded">
        {decoded.error}
      </Alert>
    );
  }
  if (gzip.kind === 'inflating') return <Loader size="sm" />;

  return (
    <>
      {gzip.kind === 'inflated' ? (
        <Alert color="blue" variant="light" py={6} mb="xs" data-testid="node-gzip-note">
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">
              {showStored
                ? `Gzip-compressed data: showing the ${sizeFormat.format(stored.length)} stored bytes.`
                : `Gzip-compressed: ${sizeFormat.format(stored.length)} stored bytes, shown decompressed (${sizeFormat.format(gzip.bytes.length)} bytes).`}
            </Text>
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => setShowStored(!showStored)}
              data-testid="node-gzip-toggle"
            >
              {showStored ? 'Show decompressed' : 'Show stored bytes'}
            </Button>
          </Group>
        </Alert>
      ) : gzip.kind === 'failed' ? (
        <Alert color="yellow" variant="light" py={6} mb="xs" data-testid="node-gzip-note">
          Looks gzip-compressed, but: {gzip.error} Showing the stored bytes.
        </Alert>
      ) : null}
      <Tabs value={tab} onChange={(value) => value && setChosen(value as Tab)} keepMounted={false}>
        <Group justify="space-between" wrap="nowrap" align="flex-end">
          <Tabs.List style={{ flexWrap: 'nowrap' }}>
            <Tabs.Tab value="text" data-testid="tab-text">
              Text
            </Tabs.Tab>
            <Tabs.Tab value="json" data-testid="tab-json">
              JSON
            </Tabs.Tab>
            <Tabs.Tab value="hex" data-testid="tab-hex">
              Hex
            </Tabs.Tab>
            <Tabs.Tab value="base64" data-testid="tab-base64">
              Base64
            </Tabs.Tab>
          </Tabs.List>
          <Group gap="xs" pb={4} wrap="nowrap">
            {!analysis.empty && !analysis.utf8.valid ? (
              <Badge size="xs" color="yellow" variant="light">
                binary
              </Badge>
            ) : null}
            <Text size="xs" c="dimmed" data-testid="node-size">
              {analysis.empty ? '(empty)' : `${sizeFormat.format(analysis.size)} bytes`}
            </Text>
            <CopyButton value={copyValueOf(tab, bytes, analysis)} timeout={1500}>
              {({ copied, copy }) => (
                <Tooltip
                  label={copied ? 'Copied' : `Copy the value as ${tab === 'json' ? 'JSON' : tab}`}
                  withArrow
                >
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color={copied ? 'teal' : 'gray'}
                    leftSection={copied ? <IconCheck size={12} /> : <IconCopy size={12} />}
                    onClick={copy}
                    data-testid="node-copy-value"
                  >
                    {copied ? 'Copied' : 'Copy'}
                  </Button>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
        </Group>
        <Tabs.Panel value="text" pt="xs">
          <TextView utf8={analysis.utf8} hasControlChars={analysis.hasControlChars} />
        </Tabs.Panel>
        <Tabs.Panel value="json" pt="xs">
          <JsonView json={analysis.json} empty={analysis.empty} />
        </Tabs.Panel>
        <Tabs.Panel value="hex" pt="xs">
          <HexView bytes={bytes} />
        </Tabs.Panel>
        <Tabs.Panel value="base64" pt="xs">
          <Base64View base64={shownBase64} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
