import { describe, expect, it } from 'vitest';
import {
  fieldErrorsToProfileForm,
  initialProfileValues,
  type ProfileFormValues,
  splitMetaServers,
  toProfileInput,
  validateProfileForm,
} from '../../../renderer/src/features/pegasus-profiles/profile-form-model';
import type { PegasusProfileView } from '../../../renderer/src/stores/pegasus-profiles-store';

const values = (overrides: Partial<ProfileFormValues> = {}): ProfileFormValues => ({
  ...initialProfileValues(undefined, {
    connectionId: 'c1',
    clusterRoot: '/pegasus/onebox',
    metaServers: ['10.0.0.1:34601'],
    name: 'onebox',
  }),
  ...overrides,
});

describe('cluster profile form', () => {
  it('starts from the Pegasus view prefill, or from the profile being edited', () => {
    expect(values()).toMatchObject({
      name: 'onebox',
      connectionId: 'c1',
      clusterRoot: '/pegasus/onebox',
      metaServers: '10.0.0.1:34601',
      shellKind: 'none',
    });
    const profile: PegasusProfileView = {
      id: 'p1',
      name: 'prod',
      connectionId: null,
      clusterRoot: null,
      metaServers: ['10.0.0.1:34601', '10.0.0.2:34601'],
      tools: {
        shell: { kind: 'pegasus_shell', binary: '/b', config: '/c.ini', clusterName: 'prod' },
        adminCli: '/a',
      },
      createdAt: 0,
      updatedAt: 0,
    };
    expect(initialProfileValues(profile, { connectionId: 'ignored' })).toMatchObject({
      connectionId: null,
      clusterRoot: '',
      metaServers: '10.0.0.1:34601,10.0.0.2:34601',
      shellKind: 'pegasus_shell',
      shellBinary: '/b',
      shellConfig: '/c.ini',
      shellClusterName: 'prod',
      adminCli: '/a',
    });
  });

  it('maps to the API input: trimmed, empty fields as null, meta servers split', () => {
    expect(splitMetaServers(' 10.0.0.1:34601, 10.0.0.2:34601\n10.0.0.3:34601 ')).toEqual([
      '10.0.0.1:34601',
      '10.0.0.2:34601',
      '10.0.0.3:34601',
    ]);
    expect(
      toProfileInput(
        values({ shellKind: 'run.sh', pegasusDir: ' /opt/pegasus ', clusterRoot: ' ', adminCli: '' }),
      ),
    ).toEqual({
      name: 'onebox',
      connectionId: 'c1',
      clusterRoot: null,
      metaServers: ['10.0.0.1:34601'],
      tools: { shell: { kind: 'run.sh', pegasusDir: '/opt/pegasus' }, adminCli: null },
    });
  });

  it('validates with the shared schema and puts each message on its field', () => {
    expect(validateProfileForm(values())).toEqual({});
    expect(
      validateProfileForm(
        values({
          name: ' ',
          metaServers: 'meta-1',
          clusterRoot: 'pegasus',
          shellKind: 'pegasus_shell',
          shellBinary: 'bin/shell',
        }),
      ),
    ).toEqual({
      name: 'Enter a name for this cluster profile, e.g. prod-pegasus',
      metaServers: 'Meta server "meta-1" must be host:port, e.g. 10.0.0.1:34601',
      clusterRoot: "Cluster root: 'pegasus' must start with '/'",
      shellBinary: 'Shell binary must be an absolute path (starting with /) or a command name found on PATH',
      shellConfig: 'Enter the shell config file (a full path)',
      shellClusterName: 'Enter the cluster name, as in [pegasus.clusters] of the shell config, e.g. onebox',
    });
    expect(
      validateProfileForm(
        values({ shellKind: 'run.sh', pegasusDir: '/opt/p', runShClusterName: 'two words' }),
      ),
    ).toEqual({
      runShClusterName: 'Cluster name must be one word, as in [pegasus.clusters] (no spaces, = [ ] ; #)',
    });
  });

  it('maps the host field errors, and anything unknown to the form', () => {
    expect(
      fieldErrorsToProfileForm(
        { 'tools.shell.clusterName': 'bad', 'tools.adminCli': 'worse', other: 'odd', _: 'also' },
        'pegasus_shell',
      ),
    ).toEqual({ shellClusterName: 'bad', adminCli: 'worse', form: 'odd; also' });
  });
});
