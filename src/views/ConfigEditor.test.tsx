import '../test/setup';
import type { DataSourceSettings } from '@grafana/data';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import type { ApiSessionsOptions, ApiSessionsSecureJsonData } from '../types';
import { ConfigEditor } from './ConfigEditor';

const byId = (id: string) => document.getElementById(id)!;

type Settings = DataSourceSettings<ApiSessionsOptions, ApiSessionsSecureJsonData>;

const base = {
  id: 1,
  uid: 'api-sessions',
  orgId: 1,
  name: 'API Sessions',
  type: 'apisessions-sessions-datasource',
  typeName: 'API Sessions',
  typeLogoUrl: '',
  access: 'proxy',
  url: '',
  user: '',
  database: '',
  basicAuth: false,
  basicAuthUser: '',
  isDefault: false,
  jsonData: {},
  secureJsonFields: {},
  readOnly: false,
  withCredentials: false,
} as unknown as Settings;

function renderConfig(initial: Settings) {
  const onOptionsChange = jest.fn();
  function Harness() {
    const [options, setOptions] = useState(initial);
    return <ConfigEditor options={options} onOptionsChange={(o) => (onOptionsChange(o), setOptions(o))} />;
  }
  const user = userEvent.setup();
  render(<Harness />);
  return { user, last: (): Settings => onOptionsChange.mock.calls[onOptionsChange.mock.calls.length - 1][0] };
}

describe('ConfigEditor', () => {
  it('stores the URL, the token as a secret, TLS and idle timeout settings', async () => {
    const { user, last } = renderConfig(base);
    await user.type(byId('config-url'), 'http://service:8080');
    await user.type(byId('config-query-token'), 'qtok');
    await user.click(document.getElementById('config-tls-skip-verify')!);
    await user.type(byId('config-tls-ca-cert'), 'PEM');
    await user.type(byId('config-idle-timeout'), '45');
    const settings = last();
    expect(settings.url).toBe('http://service:8080');
    expect(settings.secureJsonData).toEqual({ queryToken: 'qtok', tlsCACert: 'PEM' });
    expect(settings.jsonData).toEqual({
      url: 'http://service:8080',
      tlsSkipVerify: true,
      defaultIdleTimeoutMinutes: 45,
    });
    expect(JSON.stringify(settings.jsonData)).not.toContain('qtok');
  });

  it('resets a configured token', async () => {
    const { user, last } = renderConfig({ ...base, secureJsonFields: { queryToken: true } });
    expect((byId('config-query-token') as HTMLInputElement).disabled).toBe(true);
    await user.click(screen.getAllByRole('button', { name: 'Reset' })[0]);
    expect(last().secureJsonFields).toEqual({ queryToken: false });
    expect(last().secureJsonData).toEqual({ queryToken: '' });
  });

  it('stores the optional admin token as a secret only, and resets it', async () => {
    const { user, last } = renderConfig({ ...base, secureJsonData: { queryToken: 'qtok' } });
    await user.type(byId('config-admin-token'), 'grafana-admin-token');
    expect(last().secureJsonData).toEqual({ queryToken: 'qtok', adminToken: 'grafana-admin-token' });
    expect(JSON.stringify(last().jsonData)).not.toContain('grafana-admin-token');

    const configured = renderConfig({ ...base, secureJsonFields: { adminToken: true } });
    const resets = screen.getAllByRole('button', { name: 'Reset' });
    await configured.user.click(resets[resets.length - 1]);
    expect(configured.last().secureJsonFields).toEqual({ adminToken: false });
    expect(configured.last().secureJsonData).toEqual({ adminToken: '' });
  });
});
