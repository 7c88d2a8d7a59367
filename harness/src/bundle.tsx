import * as emotionCss from '@emotion/css';
import * as grafanaData from '@grafana/data';
import type { DataSourcePlugin } from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import * as React from 'react';
import { useEffect, useState } from 'react';
import * as ReactDOM from 'react-dom';
import * as jsxRuntime from 'react/jsx-runtime';
import * as rxjs from 'rxjs';
import type { ApiSessionsQuery } from '../../src/types';

/** What Grafana provides to plugins, by the names the production bundle's AMD `define` asks for. */
const PROVIDED: Record<string, unknown> = {
  react: React,
  'react-dom': ReactDOM,
  'react/jsx-runtime': jsxRuntime,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  '@emotion/css': emotionCss,
  rxjs,
};

type Plugin = DataSourcePlugin<never, ApiSessionsQuery>;

/** Loads the production module.js (served at /plugin/module.js) the way Grafana does: as an AMD module. */
function loadProductionBundle(): Promise<Plugin> {
  return new Promise((resolve, reject) => {
    const w = window as unknown as { define?: unknown };
    const define = (deps: string[], factory: (...mods: unknown[]) => { plugin: Plugin }) => {
      const missing = deps.filter((d) => !(d in PROVIDED));
      if (missing.length) {
        reject(new Error(`module.js needs externals Grafana would not provide here: ${missing.join(', ')}`));
        return;
      }
      resolve(factory(...deps.map((d) => PROVIDED[d])).plugin);
    };
    define.amd = true;
    w.define = define;
    const script = document.createElement('script');
    script.src = '/plugin/module.js';
    script.onload = () => delete w.define;
    script.onerror = () => reject(new Error('no /plugin/module.js'));
    document.head.appendChild(script);
  });
}

/** The query editor as shipped in dist/module.js (externals supplied by this page). */
export function BundleSection() {
  const [plugin, setPlugin] = useState<Plugin>();
  const [error, setError] = useState<string>();
  const [query, setQuery] = useState<ApiSessionsQuery>({
    refId: 'bundle',
    queryType: 'sessions',
    sort: 'last_activity',
    limit: 100,
  });
  useEffect(() => {
    loadProductionBundle().then(setPlugin, (e: Error) => setError(e.message));
  }, []);
  const Editor = plugin?.components.QueryEditor;
  return (
    <section id="section-bundle" style={{ border: '1px solid #333', borderRadius: 4, padding: 12 }}>
      <h3>Production bundle (dist/module.js)</h3>
      {error && <p id="bundle-error">{error}</p>}
      {Editor && <Editor query={query} onChange={setQuery} onRunQuery={() => {}} datasource={{} as never} />}
      <span id="bundle-has-config-editor">{String(Boolean(plugin?.components.ConfigEditor))}</span>
      <pre id="emitted-bundle" style={{ fontSize: 11, marginTop: 8 }}>
        {JSON.stringify(query, null, 2)}
      </pre>
    </section>
  );
}
