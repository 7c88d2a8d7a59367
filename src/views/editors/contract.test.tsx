import '../../test/setup';
import { cleanup, fireEvent, render } from '@testing-library/react';
import { withDefaults } from '../../data/defaults';
import {
  FILTERED_QUERY_TYPES,
  FILTER_NAMES,
  QUERY_PARAMS,
  QUERY_TYPE_NAMES,
  type ApiSessionsQuery,
  type QueryType,
} from '../../types';
import * as contract from '../../types/contract.gen';
import { QueryEditor } from '../QueryEditor';

/**
 * The editors' side of the query contract (src/types/contract.test.ts is the types' side): every parameter the
 * service takes has a field in the query editor — an input whose id, or a radio group whose name, is
 * `<refId>-<parameter>` — unless it is listed here with the reason. It iterates over the generated contract, so a
 * parameter the service adds fails here until an editor offers it (or it is listed).
 */
const NOT_EDITED: Partial<Record<QueryType, Record<string, string>>> = {
  sessions: {
    with_total:
      'the session tables show the total; leaving it out is for API clients that page through sessions and want to ' +
      'save the extra aggregation',
  },
};

const upper = (s: string) => s.toUpperCase();
const enumOf = (type: string, param: string) =>
  (contract as Record<string, unknown>)[`${upper(type)}_${upper(param)}`] as readonly string[] | undefined;

/**
 * The queries whose editors together show every field of a type: the defaults, and the defaults with each enum
 * parameter set to each of its values or each boolean switched on (fields that depend on another choice, such as the
 * threshold of some pattern conditions, appear in one of them).
 */
function variants(type: QueryType): ApiSessionsQuery[] {
  const base = withDefaults({ refId: 'A', queryType: type } as ApiSessionsQuery);
  const out: ApiSessionsQuery[] = [base];
  for (const param of QUERY_PARAMS[type]) {
    for (const value of enumOf(type, param) ?? [true]) {
      out.push({ ...base, [param]: value } as ApiSessionsQuery);
    }
  }
  return out;
}

/** The parameters that have a field on the rendered editor of `query` (filters opened). */
function editedParams(query: ApiSessionsQuery): string[] {
  render(<QueryEditor query={query} onChange={() => {}} onRunQuery={() => {}} datasource={{} as never} />);
  const toggle = document.getElementById('A-filters-toggle');
  if (toggle) {
    fireEvent.click(toggle);
  }
  const names = [...document.querySelectorAll<HTMLInputElement>('[id^="A-"], input[name^="A-"]')].map((el) =>
    el.id.startsWith('A-') ? el.id : el.name,
  );
  cleanup();
  return names.map((n) => n.slice('A-'.length));
}

describe.each(QUERY_TYPE_NAMES.map((t) => [t]))('%s editor', (type) => {
  const params: string[] = [
    ...QUERY_PARAMS[type],
    ...((FILTERED_QUERY_TYPES as readonly string[]).includes(type) ? FILTER_NAMES : []),
  ];
  const skipped = NOT_EDITED[type] ?? {};

  it('has a field for every parameter of the service, or says why not', () => {
    const edited = new Set(variants(type).flatMap(editedParams));
    expect(params.filter((p) => !edited.has(p) && !(p in skipped))).toEqual([]);
    expect(Object.keys(skipped).filter((p) => edited.has(p) || !params.includes(p))).toEqual([]);
  });
});
