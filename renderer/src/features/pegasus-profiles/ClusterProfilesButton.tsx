/** The Pegasus view's way into the cluster profiles: a button and a drawer, prefilled with what the view knows. */
import { Button, Drawer } from '@mantine/core';
import { IconServer2 } from '@tabler/icons-react';
import { useState } from 'react';
import { useConnectionsStore } from '../../stores/connections-store';
import { splitMetaServers } from './profile-form-model';
import { ProfilesPanel } from './ProfilesPanel';

interface ClusterProfilesButtonProps {
  connectionId: string;
  clusterRoot: string | null;
  /** As the meta HTTP tab holds them ("h:p,h:p"). */
  metaServers: string;
}

export function ClusterProfilesButton({
  connectionId,
  clusterRoot,
  metaServers,
}: ClusterProfilesButtonProps) {
  const [open, setOpen] = useState(false);
  // A snapshot workspace is not a saved connection: a profile must not point at it.
  const saved = useConnectionsStore((state) =>
    state.connections.some((connection) => connection.id === connectionId),
  );
  return (
    <>
      <Button
        size="xs"
        variant="default"
        leftSection={<IconServer2 size={14} />}
        onClick={() => setOpen(true)}
        data-testid="pegasus-cluster-profiles"
      >
        Cluster profiles
      </Button>
      <Drawer
        opened={open}
        onClose={() => setOpen(false)}
        position="right"
        size="xl"
        title="Cluster profiles"
        data-testid="profiles-drawer"
      >
        {open ? (
          <ProfilesPanel
            prefill={{
              connectionId: saved ? connectionId : null,
              clusterRoot,
              metaServers: splitMetaServers(metaServers),
            }}
          />
        ) : null}
      </Drawer>
    </>
  );
}
