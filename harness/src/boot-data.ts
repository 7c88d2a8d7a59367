/**
 * Must be the first import of the harness page: @grafana/runtime reads window.grafanaBootData once, when its
 * config module loads, and logs an error without it.
 */
(window as unknown as { grafanaBootData: unknown }).grafanaBootData = {
  assets: { dark: '', light: '' },
  settings: { appSubUrl: '', buildInfo: { version: '13.1.1', edition: 'Open Source' }, featureToggles: {} },
  user: { isSignedIn: true, timezone: 'utc', locale: 'en-US', language: 'en-US', theme: 'dark' },
  navTree: [],
};

export {};
