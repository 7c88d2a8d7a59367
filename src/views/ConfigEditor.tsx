import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, SecretInput, SecretTextArea, Switch } from '@grafana/ui';
import type { FormEvent } from 'react';
import {
  SERVICE_DEFAULT_IDLE_TIMEOUT_MINUTES,
  type ApiSessionsOptions,
  type ApiSessionsSecureJsonData,
} from '../types';

/** Props of the data source settings page. */
export type Props = DataSourcePluginOptionsEditorProps<ApiSessionsOptions, ApiSessionsSecureJsonData>;

type SecretKey = keyof ApiSessionsSecureJsonData;

/**
 * Data source settings: service URL, query token (secret), admin token for blocking (secret, optional), TLS options
 * and the default idle timeout. Secrets go to
 * `secureJsonData` only; after saving, the browser only learns that they are configured.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields } = options;
  const secureJsonData = options.secureJsonData ?? {};

  const setJson = <K extends keyof ApiSessionsOptions>(key: K, value: ApiSessionsOptions[K] | undefined) => {
    const next = { ...jsonData };
    if (value === undefined) {
      delete next[key];
    } else {
      next[key] = value;
    }
    onOptionsChange({ ...options, jsonData: next });
  };
  const setSecret = (key: SecretKey) => (e: FormEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, [key]: e.currentTarget.value } });
  const resetSecret = (key: SecretKey) => () =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, [key]: false },
      secureJsonData: { ...secureJsonData, [key]: '' },
    });

  return (
    <>
      <FieldSet label="Connection">
        <Field
          label="Service URL"
          description="Base URL of the API Sessions service, e.g. http://service:8080"
          required
        >
          <Input
            id="config-url"
            width={60}
            value={jsonData.url ?? options.url ?? ''}
            placeholder="http://localhost:8080"
            onChange={(e) => {
              // The backend reads jsonData.url; the data source's own url is kept equal for Grafana's lists.
              const url = e.currentTarget.value;
              onOptionsChange({ ...options, url, jsonData: { ...jsonData, url } });
            }}
          />
        </Field>
        <Field label="Query token" description="A bearer token from the service's QUERY_TOKENS (not an ingest token)">
          <SecretInput
            id="config-query-token"
            width={60}
            isConfigured={Boolean(secureJsonFields?.queryToken)}
            value={secureJsonData.queryToken ?? ''}
            placeholder="query token"
            onChange={setSecret('queryToken')}
            onReset={resetSecret('queryToken')}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Blocking">
        <Field
          label="Admin token"
          description="Optional: a token from the service's ADMIN_TOKENS (label it, e.g. grafana:<token>). Lets Grafana Editors and Admins block sessions, IPs and users from the dashboards; empty = blocking from Grafana is off"
        >
          <SecretInput
            id="config-admin-token"
            width={60}
            isConfigured={Boolean(secureJsonFields?.adminToken)}
            value={secureJsonData.adminToken ?? ''}
            placeholder="admin token (optional)"
            onChange={setSecret('adminToken')}
            onReset={resetSecret('adminToken')}
          />
        </Field>
      </FieldSet>
      <FieldSet label="TLS">
        <Field label="Skip TLS certificate verification" description="Only for testing with self-signed certificates">
          <Switch
            id="config-tls-skip-verify"
            value={jsonData.tlsSkipVerify === true}
            onChange={(e) => setJson('tlsSkipVerify', e.currentTarget.checked || undefined)}
          />
        </Field>
        <Field label="CA certificate" description="PEM certificate of the CA that signed the service's certificate">
          <SecretTextArea
            id="config-tls-ca-cert"
            cols={60}
            rows={5}
            isConfigured={Boolean(secureJsonFields?.tlsCACert)}
            value={secureJsonData.tlsCACert ?? ''}
            placeholder="-----BEGIN CERTIFICATE-----"
            onChange={setSecret('tlsCACert')}
            onReset={resetSecret('tlsCACert')}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Sessions">
        <Field
          label="Default idle timeout (minutes)"
          description={`Session queries without their own idle timeout use this; 0 = no inactivity split (service default ${SERVICE_DEFAULT_IDLE_TIMEOUT_MINUTES})`}
        >
          <Input
            id="config-idle-timeout"
            type="number"
            min={0}
            width={16}
            value={jsonData.defaultIdleTimeoutMinutes ?? ''}
            placeholder={String(SERVICE_DEFAULT_IDLE_TIMEOUT_MINUTES)}
            onChange={(e) => {
              const text = e.currentTarget.value.trim();
              setJson('defaultIdleTimeoutMinutes', text === '' ? undefined : Math.max(0, Math.trunc(Number(text))));
            }}
          />
        </Field>
      </FieldSet>
    </>
  );
}
