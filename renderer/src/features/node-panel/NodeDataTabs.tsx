/**
 * The node's bytes in three views. The tab opens on the best guess (JSON, else clean text, else hex)
 * and the operator can switch; bytes are decoded once per data, never round-tripped through text.
 */
import { Alert, Badge, Group, Tabs, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { base64ToBytes } from '../../lib/base64';
import { analyzeData, type DataTab } from '../../lib/data-format';
import { HexView } from './HexView';
import { JsonView } from './JsonView';
import { TextView } from './TextView';

const sizeFormat = new Intl.NumberFormat();

export function NodeDataTabs({ dataBase64 }: { dataBase64: string }) {
  const decoded = useMemo(() => {
    try {
      return { bytes: base64ToBytes(dataBase64), error: null };
    } catch (error) {
      return { bytes: new Uint8Array(), error: error instanceof Error ? error.message : String(error) };
    }
  }, [dataBase64]);
  const bytes = decoded.bytes;
  const analysis = useMemo(() => analyzeData(bytes), [bytes]);
  const [tab, setTab] = useState<DataTab>(analysis.suggestedTab);

  if (decoded.error) {
    return (
      <Alert color="red" variant="light" title="The data could not be decoded">
        {decoded.error}
      </Alert>
    );
  }

  return (
    <Tabs value={tab} onChange={(value) => value && setTab(value as DataTab)} keepMounted={false}>
      <Group justify="space-between" wrap="nowrap" align="flex-end">
        <Tabs.List>
          <Tabs.Tab value="text" data-testid="tab-text">
            Text
          </Tabs.Tab>
          <Tabs.Tab value="json" data-testid="tab-json">
            JSON
          </Tabs.Tab>
          <Tabs.Tab value="hex" data-testid="tab-hex">
            Hex
          </Tabs.Tab>
        </Tabs.List>
        <Group gap="xs" pb={4}>
          {!analysis.empty && !analysis.utf8.valid ? (
            <Badge size="xs" color="yellow" variant="light">
              binary
            </Badge>
          ) : null}
          <Text size="xs" c="dimmed" data-testid="node-size">
            {analysis.empty ? '(empty)' : `${sizeFormat.format(analysis.size)} bytes`}
          </Text>
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
    </Tabs>
  );
}
