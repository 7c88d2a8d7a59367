import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState, type ComponentType } from 'react';
import type { EditorProps } from '../views/editors/types';

/**
 * Renders a type editor with its query held in state (as Grafana does) and records what it emits.
 * Returns the user-event instance, the mocks and `last()` = the last emitted query.
 */
export function renderEditor<Q>(Editor: ComponentType<EditorProps<Q>>, initial: Q) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  function Harness() {
    const [query, setQuery] = useState(initial);
    return (
      <Editor
        query={query}
        idPrefix="A"
        onRunQuery={onRunQuery}
        onChange={(next) => {
          onChange(next);
          setQuery(next);
        }}
      />
    );
  }
  const user = userEvent.setup();
  const view = render(<Harness />);
  const last = (): Q => onChange.mock.calls[onChange.mock.calls.length - 1][0];
  return { user, onChange, onRunQuery, last, ...view };
}

/** Opens the Combobox whose input has `inputId` and picks the option labelled `label`, as a user does. */
export async function pickOption(user: ReturnType<typeof userEvent.setup>, inputId: string, label: string) {
  const input = document.getElementById(inputId);
  if (!input) {
    throw new Error(`no combobox #${inputId}`);
  }
  await user.click(input);
  await user.click(await screen.findByRole('option', { name: new RegExp(`^${escape(label)}`) }));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
