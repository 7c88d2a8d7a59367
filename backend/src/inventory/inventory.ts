import { compileFlows, type FlowMatcher } from './flows';
import { compileMatcher, type Classification, type Matcher, type ScopeSpecs } from './matcher';

/** What the ingest pipeline asks of the API inventory, once per record. */
export interface Inventory {
  /** Status (and, on a match, endpoint template and flows) of a request; host lower-case, method upper-case. */
  classify(host: string, app: string | undefined, method: string, path: string): Classification;
  /** Flows of a request that matched no spec operation, from its endpoint template. */
  flowsFor(method: string, endpoint: string): readonly string[];
}

/**
 * A fixed inventory (no reload): the given specs and flow rules. Used by tests, the benchmarks and as the
 * pipeline's default (no specs, built-in flows).
 */
export function createStaticInventory(
  scopes: readonly ScopeSpecs[] = [],
  flows: FlowMatcher = compileFlows(),
): Inventory {
  const matcher: Matcher = compileMatcher(scopes, flows);
  return {
    classify: (host, app, method, path) => matcher.classify(host, app, method, path),
    flowsFor: (method, endpoint) => flows.forEndpoint(method, endpoint),
  };
}
