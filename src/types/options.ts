import type { DataSourceJsonData } from '@grafana/data';
import { SERVICE_DEFAULTS } from './contract.gen';

/** Non-secret data source settings (stored in `jsonData`). */
export interface ApiSessionsOptions extends DataSourceJsonData {
  /** Base URL of the service (the plugin backend reads it from here; the data source's own `url` mirrors it). */
  url?: string;
  /** Skip TLS certificate verification when talking to the service. */
  tlsSkipVerify?: boolean;
  /** Idle timeout the plugin backend applies to `sessions` queries that do not set `idle_timeout_minutes`. */
  defaultIdleTimeoutMinutes?: number;
}

/** Secret settings (stored encrypted in `secureJsonData`, never sent back to the browser). */
export interface ApiSessionsSecureJsonData {
  /** Bearer token from the service's `QUERY_TOKENS`. */
  queryToken?: string;
  /**
   * Optional token from the service's `ADMIN_TOKENS`: lets Grafana Editors and Admins block sessions, IPs and users
   * (plugin resources `blocks`, docs/integrations/blocking.md). Unset = blocking from Grafana is off.
   */
  adminToken?: string;
  /** PEM CA certificate to verify the service's TLS certificate. */
  tlsCACert?: string;
}

/** The service's own default idle timeout (docs/api.md). */
export const SERVICE_DEFAULT_IDLE_TIMEOUT_MINUTES = SERVICE_DEFAULTS.sessions.idle_timeout_minutes;
