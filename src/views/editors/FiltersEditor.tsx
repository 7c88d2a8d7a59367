import { Button, InlineFieldRow } from '@grafana/ui';
import { useState } from 'react';
import { pickFilters } from '../../data/defaults';
import { parseNumberOrText } from '../../data/update';
import type { Filters, TextFilter } from '../../types';
import { SwitchField, TextField } from '../fields';
import { fieldSetter, type EditorProps } from './types';

/**
 * Label, placeholder and tooltip of each text filter (docs/api.md "Filters"), in editor order. Keyed by the generated
 * contract, so a filter the service adds fails the typecheck until it has a field here.
 */
const TEXT_FILTER_TEXT: Record<TextFilter, { label: string; placeholder: string; tooltip: string }> = {
  host: { label: 'Host', placeholder: 'api.example.com', tooltip: 'Exact host' },
  app: { label: 'App', placeholder: 'any', tooltip: 'Exact application name' },
  endpoint: {
    label: 'Endpoint',
    placeholder: '/api/v1/*',
    tooltip: 'Exact endpoint template, or a prefix ending with *',
  },
  method: { label: 'Method', placeholder: 'GET', tooltip: 'HTTP method' },
  status: { label: 'Status', placeholder: '401 or 4xx', tooltip: 'Response status or class (4xx, 5xx)' },
  attack_type: { label: 'Attack type', placeholder: 'sqli', tooltip: 'Requests with this attack type' },
  bot: { label: 'Bot', placeholder: 'any', tooltip: 'Bot type; "any" = any bot verdict' },
  user: { label: 'User', placeholder: 'any', tooltip: 'Exact user' },
  role: { label: 'Role', placeholder: 'any', tooltip: 'Exact role' },
  client_ip: { label: 'Client IP', placeholder: '10.0.0.0/8', tooltip: 'IPv4/IPv6 address or CIDR' },
  session_id: { label: 'Session id', placeholder: 'any', tooltip: 'Session id (the session key)' },
  request_id: { label: 'Request id', placeholder: 'any', tooltip: 'Request id' },
  api_status: {
    label: 'API status',
    placeholder: 'shadow,zombie',
    tooltip:
      'One or a comma-separated list of: documented (in the current spec), zombie (only in an earlier spec version), ' +
      'shadow (in no spec version), unknown (no spec covers the host)',
  },
  flow: {
    label: 'Flow',
    placeholder: 'authentication',
    tooltip:
      'Exact business flow name; built-in flows: authentication, account_creation, account_management, billing, ' +
      'admin, messaging_gateway, ai_llm (plus any the service configures)',
  },
};
const TEXT_FILTER_FIELDS = Object.entries(TEXT_FILTER_TEXT).map(([name, text]) => ({
  name: name as TextFilter,
  ...text,
}));

/**
 * The request filters shared by sessions, requests, breakdown, performance, patterns and inventory, behind a toggle that shows
 * how many are set (open from the start when any is). Values are matched as exact terms; template variables are
 * allowed everywhere.
 */
export function FiltersEditor<Q extends Filters>(props: EditorProps<Q>) {
  const { query, idPrefix } = props;
  const count = Object.keys(pickFilters(query)).length;
  const [open, setOpen] = useState(count > 0);
  return (
    <>
      <InlineFieldRow>
        <Button
          id={`${idPrefix}-filters-toggle`}
          variant="secondary"
          fill="text"
          size="sm"
          aria-expanded={open}
          icon={open ? 'angle-down' : 'angle-right'}
          onClick={() => setOpen(!open)}
        >
          {count > 0 ? `Filters (${count} set)` : 'Filters'}
        </Button>
      </InlineFieldRow>
      {open && <FilterFields {...props} />}
    </>
  );
}

function FilterFields<Q extends Filters>(props: EditorProps<Q>) {
  const { query, idPrefix, onRunQuery } = props;
  const set = fieldSetter<Filters>(props as unknown as EditorProps<Filters>);
  return (
    <>
      <InlineFieldRow>
        {TEXT_FILTER_FIELDS.map(({ name, label, placeholder, tooltip }) => (
          <TextField
            key={name}
            id={`${idPrefix}-${name}`}
            label={label}
            tooltip={tooltip}
            placeholder={placeholder}
            width={20}
            value={query[name]}
            onChange={(v) => set(name, name === 'status' ? parseNumberOrText(v ?? '') : v)}
            onBlur={onRunQuery}
          />
        ))}
      </InlineFieldRow>
      <InlineFieldRow>
        <SwitchField
          id={`${idPrefix}-attacked`}
          label="Attacked only"
          tooltip="Only requests with at least one detected attack"
          value={query.attacked === true}
          onChange={(v) => set('attacked', v || undefined, true)}
        />
        <SwitchField
          id={`${idPrefix}-blocked`}
          label="Blocked only"
          tooltip="Only requests the node blocked"
          value={query.blocked === true}
          onChange={(v) => set('blocked', v || undefined, true)}
        />
      </InlineFieldRow>
    </>
  );
}
