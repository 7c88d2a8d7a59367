import { setField } from '../../data/update';

/** Props of one query type's editor. */
export interface EditorProps<Q> {
  query: Q;
  onChange: (query: Q) => void;
  onRunQuery: () => void;
  /** Prefix for DOM ids (the query's refId), so several queries can be edited on one page. */
  idPrefix: string;
}

/**
 * Returns `set(name, value, run)`: emits the query with one field changed (removed when undefined) and, when `run`
 * is true (selects and switches — discrete choices), runs the query right away. Text inputs run on blur instead.
 */
export function fieldSetter<Q extends object>({ query, onChange, onRunQuery }: EditorProps<Q>) {
  return <K extends keyof Q>(name: K, value: Q[K] | undefined, run = false) => {
    onChange(setField(query, name, value));
    if (run) {
      onRunQuery();
    }
  };
}
