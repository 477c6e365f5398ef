/**
 * One runbook parameter as a form field, chosen by its `input` kind: saved connections and Pegasus
 * profiles as pickers (so a typo cannot point a migration at the wrong ensemble), ZooKeeper paths
 * checked as the operator types, selects, numbers and switches. The host's message for the field,
 * when it refused the parameters, is shown under it.
 */
import { NumberInput, Select, Switch, TextInput } from '@mantine/core';
import { useConnectionsStore } from '../../stores/connections-store';
import { usePegasusProfilesStore } from '../../stores/pegasus-profiles-store';
import type { ParamValue, RunbookParamInfo } from './run-format';

interface ParamFieldProps {
  param: RunbookParamInfo;
  value: ParamValue;
  error: string | undefined;
  onChange(value: ParamValue): void;
}

export function ParamField({ param, value, error, onChange }: ParamFieldProps) {
  const connections = useConnectionsStore((state) => state.connections);
  const profiles = usePegasusProfilesStore((state) => state.profiles);
  const common = {
    label: param.label,
    description: param.help,
    error,
    required: param.required,
    'data-testid': `param-${param.name}`,
  };
  switch (param.input) {
    case 'connection':
      return (
        <Select
          {...common}
          placeholder={
            connections.length === 0 ? 'No saved connections: add one first' : 'Choose a connection'
          }
          data={connections.map((connection) => ({
            value: connection.id,
            label: `${connection.name} (${connection.connectString}${connection.chroot ?? ''})${connection.readOnly ? ' · read-only' : ''}`,
          }))}
          value={typeof value === 'string' ? value : null}
          onChange={(next) => onChange(next ?? undefined)}
          searchable
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
          renderOption={({ option }) => (
            <span data-testid={`param-${param.name}-option`}>{option.label}</span>
          )}
        />
      );
    case 'pegasus-profile':
      return (
        <Select
          {...common}
          placeholder={
            profiles.length === 0 ? 'No cluster profiles: add one in a Pegasus view' : 'Choose a cluster'
          }
          data={profiles.map((profile) => ({ value: profile.id, label: profile.name }))}
          value={typeof value === 'string' ? value : null}
          onChange={(next) => onChange(next ?? undefined)}
          searchable
          allowDeselect={false}
        />
      );
    case 'select':
      return (
        <Select
          {...common}
          data={[...(param.options ?? [])]}
          value={typeof value === 'string' ? value : null}
          onChange={(next) => onChange(next ?? undefined)}
          allowDeselect={false}
        />
      );
    case 'number':
      return (
        <NumberInput
          {...common}
          value={typeof value === 'number' ? value : ''}
          onChange={(next) => onChange(typeof next === 'number' ? next : undefined)}
          allowDecimal={false}
        />
      );
    case 'boolean':
      return (
        <Switch
          label={param.label}
          description={param.help}
          error={error}
          checked={value === true}
          onChange={(event) => onChange(event.currentTarget.checked)}
          data-testid={`param-${param.name}`}
        />
      );
    case 'zk-path':
      return (
        <TextInput
          {...common}
          placeholder="/apps/service"
          ff="monospace"
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.currentTarget.value)}
          spellCheck={false}
        />
      );
    default:
      return (
        <TextInput
          {...common}
          value={typeof value === 'string' ? value : value === undefined ? '' : String(value)}
          onChange={(event) => onChange(event.currentTarget.value)}
        />
      );
  }
}
