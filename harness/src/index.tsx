import './boot-data';
import type { DataSourceSettings } from '@grafana/data';
import { setBackendSrv, type BackendSrv } from '@grafana/runtime';
import { GlobalStyles, Stack } from '@grafana/ui';
import { useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BundleSection } from './bundle';
import { of } from 'rxjs';
import { withDefaults } from '../../src/data/defaults';
import {
  QUERY_TYPES,
  type ApiSessionsOptions,
  type ApiSessionsQuery,
  type ApiSessionsSecureJsonData,
  type VariableQuery,
} from '../../src/types';
import { ConfigEditor } from '../../src/views/ConfigEditor';
import { QueryEditor } from '../../src/views/QueryEditor';
import { VariableQueryEditor } from '../../src/views/VariableQueryEditor';

// The editors make no backend calls today; answer any that appear with an empty values list.
setBackendSrv({ fetch: () => of({ data: { values: [] } }) } as unknown as BackendSrv);

type Settings = DataSourceSettings<ApiSessionsOptions, ApiSessionsSecureJsonData>;
const SETTINGS = {
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
  isDefault: true,
  jsonData: {},
  secureJsonFields: { tlsCACert: true },
  readOnly: false,
  withCredentials: false,
} as unknown as Settings;

/** A titled box holding one editor and the JSON it last emitted (`#emitted-<name>`, `#runs-<name>`). */
function Section({
  name,
  title,
  emitted,
  runs,
  children,
}: {
  name: string;
  title: string;
  emitted: unknown;
  runs?: number;
  children: ReactNode;
}) {
  return (
    <section id={`section-${name}`} style={{ border: '1px solid #333', borderRadius: 4, padding: 12 }}>
      <h3>{title}</h3>
      {children}
      <pre id={`emitted-${name}`} style={{ fontSize: 11, marginTop: 8 }}>
        {JSON.stringify(emitted, null, 2)}
      </pre>
      {runs !== undefined && <span id={`runs-${name}`}>{runs}</span>}
    </section>
  );
}

function ConfigSection() {
  const [options, setOptions] = useState(SETTINGS);
  const shown = {
    url: options.url,
    jsonData: options.jsonData,
    secureJsonData: options.secureJsonData,
    secureJsonFields: options.secureJsonFields,
  };
  return (
    <Section name="config" title="Config editor" emitted={shown}>
      <ConfigEditor options={options} onOptionsChange={setOptions} />
    </Section>
  );
}

function QuerySection({ name, initial }: { name: string; initial: ApiSessionsQuery }) {
  const [query, setQuery] = useState(initial);
  const [runs, setRuns] = useState(0);
  return (
    <Section name={name} title={`Query editor: ${name}`} emitted={query} runs={runs}>
      <QueryEditor
        query={query}
        onChange={setQuery}
        onRunQuery={() => setRuns((n) => n + 1)}
        datasource={{} as never}
      />
    </Section>
  );
}

function VariableSection() {
  const [query, setQuery] = useState<VariableQuery>({ refId: 'variable' } as VariableQuery);
  const props = { query, onChange: setQuery, onRunQuery: () => {}, datasource: {} as never } as unknown as Parameters<
    typeof VariableQueryEditor
  >[0];
  return (
    <Section name="variable" title="Variable query editor" emitted={query}>
      <VariableQueryEditor {...props} />
    </Section>
  );
}

function App() {
  return (
    <>
      <GlobalStyles />
      <div style={{ padding: 16 }}>
        <Stack direction="column" gap={2}>
          <ConfigSection />
          {QUERY_TYPES.map((t) => (
            <QuerySection
              key={t.value}
              name={t.value}
              initial={withDefaults({ refId: t.value, queryType: t.value } as ApiSessionsQuery)}
            />
          ))}
          <QuerySection name="switch" initial={withDefaults({ refId: 'switch' })} />
          <VariableSection />
          <BundleSection />
        </Stack>
      </div>
    </>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
