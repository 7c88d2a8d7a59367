import '../test/setup';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { pickOption } from '../test/render';
import type { ApiSessionsQuery } from '../types';
import { QueryEditor } from './QueryEditor';

function renderQueryEditor(initial: ApiSessionsQuery) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  function Harness() {
    const [query, setQuery] = useState(initial);
    const props = { query, onRunQuery, datasource: {} as never };
    return <QueryEditor {...props} onChange={(q) => (onChange(q), setQuery(q))} />;
  }
  const user = userEvent.setup();
  render(<Harness />);
  return { user, onChange, onRunQuery, last: () => onChange.mock.calls[onChange.mock.calls.length - 1][0] };
}

describe('QueryEditor', () => {
  it('shows the sessions editor for a query without a type', () => {
    renderQueryEditor({ refId: 'A' } as ApiSessionsQuery);
    expect(screen.getByLabelText('Idle timeout')).toBeTruthy();
  });

  it('switches the query type, keeping filters and applying the new defaults', async () => {
    const { user, last, onRunQuery } = renderQueryEditor({ refId: 'A', queryType: 'sessions', host: 'h', limit: 5 });
    await pickOption(user, 'A-query-type', 'Patterns');
    expect(last()).toEqual({ refId: 'A', queryType: 'patterns', condition: 'attacks', threshold: 1, host: 'h' });
    expect(onRunQuery).toHaveBeenCalled();
    expect(screen.getByLabelText('Threshold (N)')).toBeTruthy();
  });

  it('offers the inventory type and shows its editor with the filters kept', async () => {
    const { user, last } = renderQueryEditor({ refId: 'A', queryType: 'sessions', api_status: 'shadow' });
    await pickOption(user, 'A-query-type', 'Inventory');
    expect(last()).toEqual({ refId: 'A', queryType: 'inventory', sort: 'requests', limit: 100, api_status: 'shadow' });
    expect(screen.getByText('Filters (1 set)')).toBeTruthy();
    expect(screen.getByLabelText('API status')).toBeTruthy();
    expect(screen.queryByLabelText('Idle timeout')).toBeNull();
  });

  it('migrates a saved query with leftovers of another type, and names keys nobody knows', async () => {
    const saved = { refId: 'A', queryType: 'timeline', session_id: 's', sort: 'requests', hots: 'x' };
    const { user, last } = renderQueryEditor(saved as unknown as ApiSessionsQuery);
    expect(screen.getByText(/Unknown parameters .*: hots/)).toBeTruthy();
    await user.type(screen.getByLabelText('Session id'), '2');
    expect(last()).toMatchObject({ queryType: 'timeline', session_id: 's2', hots: 'x' });
    expect(last()).not.toHaveProperty('sort');
  });

  it('says why a timeline without a session id does not run', async () => {
    const { user } = renderQueryEditor({ refId: 'A', queryType: 'sessions' });
    await pickOption(user, 'A-query-type', 'Timeline');
    expect(screen.getByText(/a session id is required/)).toBeTruthy();
    await user.type(screen.getByLabelText('Session id'), 'abc');
    expect(screen.queryByText(/a session id is required/)).toBeNull();
  });
});
