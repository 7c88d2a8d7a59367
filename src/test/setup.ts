/**
 * Browser APIs jsdom lacks but @grafana/ui touches at import or render time. Import this module FIRST in every
 * component test (before @grafana/ui), since the plugin jest project has no setupFiles.
 */
import { TextDecoder, TextEncoder } from 'util';

const g = globalThis as unknown as Record<string, unknown>;
g.TextEncoder ??= TextEncoder;
g.TextDecoder ??= TextDecoder;

if (typeof window !== 'undefined') {
  window.matchMedia ??= (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
  class NoopObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() {
      return [];
    }
  }
  g.ResizeObserver ??= NoopObserver;
  g.IntersectionObserver ??= NoopObserver;
  // jsdom has no canvas; @grafana/ui's Combobox measures its option labels with one (8 px a character here).
  HTMLCanvasElement.prototype.getContext = function () {
    return { font: '', measureText: (text: string) => ({ width: text.length * 8 }) };
  } as unknown as HTMLCanvasElement['getContext'];
  // jsdom lays nothing out (every box is 0 × 0), so the Combobox's virtual list would render no option: give every
  // element a box.
  for (const name of ['clientWidth', 'clientHeight']) {
    Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => 400 });
  }
}

// The lead's transformIgnorePatterns do not cover react-calendar (ESM only, used by @grafana/ui's time picker,
// which our editors never render): replace it with a stub instead of transforming it.
jest.mock('react-calendar', () => ({ __esModule: true, default: () => null, Calendar: () => null }));
// Icons are fetched over HTTP by react-inlinesvg; in jsdom that only produces act() warnings.
jest.mock('react-inlinesvg', () => ({ __esModule: true, default: () => null }));
