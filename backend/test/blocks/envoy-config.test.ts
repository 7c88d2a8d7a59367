/**
 * The shipped Envoy ext_authz configuration (docs/integrations/envoy-blocking.yaml) has the shape the decision
 * endpoint relies on. Envoy itself is not available to the test command (no Debian package); the nginx snippet is
 * tested end to end in nginx.test.ts, and Envoy's request shape (method kept, path appended to the prefix) is
 * covered by blocks.test.ts ("Envoy-style sub-paths").
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

const file = path.resolve(__dirname, '../../../docs/integrations/envoy-blocking.yaml');

it('ext_authz calls /v1/decision with the token, the identifiers and the client address, and fails open', () => {
  const doc = YAML.parse(readFileSync(file, 'utf8'));
  const hcm = doc.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
  expect(hcm.use_remote_address).toBe(true);
  const filters = hcm.http_filters.map((f: { name: string }) => f.name);
  expect(filters).toEqual(['envoy.filters.http.ext_authz', 'envoy.filters.http.router']);
  const authz = hcm.http_filters[0].typed_config;
  expect(authz['@type']).toBe('type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz');
  expect(authz.failure_mode_allow).toBe(true);
  const svc = authz.http_service;
  expect(svc.path_prefix).toBe('/v1/decision');
  expect(doc.static_resources.clusters.map((c: { name: string }) => c.name)).toContain(svc.server_uri.cluster);
  const allowed = svc.authorization_request.allowed_headers.patterns.map((p: { exact: string }) => p.exact);
  expect(allowed).toEqual(expect.arrayContaining(['cookie', 'user-agent', 'x-forwarded-for']));
  expect(svc.authorization_request.headers_to_add[0].key).toBe('x-decision-token');
  const toClient = svc.authorization_response.allowed_client_headers.patterns.map((p: { exact: string }) => p.exact);
  expect(toClient).toEqual(['x-block-id', 'x-block-reason']);
});
