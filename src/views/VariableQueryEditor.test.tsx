import '../test/setup';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { pickOption } from '../test/render';
import type { VariableQuery } from '../types';
import { VariableQueryEditor } from './VariableQueryEditor';

function renderVariableEditor() {
  const onChange = jest.fn();
  function Harness() {
    const [query, setQuery] = useState<VariableQuery>({ refId: 'A' } as VariableQuery);
    const props = {
      query,
      onRunQuery: () => {},
      datasource: {} as never,
      onChange: (q: VariableQuery) => (onChange(q), setQuery(q)),
    } as unknown as Parameters<typeof VariableQueryEditor>[0];
    return <VariableQueryEditor {...props} />;
  }
  const user = userEvent.setup();
  render(<Harness />);
  return { user, last: (): VariableQuery => onChange.mock.calls[onChange.mock.calls.length - 1][0] };
}

describe('VariableQueryEditor', () => {
  it('emits the field, prefix and limit', async () => {
    const { user, last } = renderVariableEditor();
    await pickOption(user, 'variable-A-field', 'Endpoint');
    await user.type(screen.getByLabelText('Prefix'), '/api');
    await user.type(screen.getByLabelText('Limit'), '20');
    expect(last()).toEqual({ refId: 'A', field: 'endpoint', prefix: '/api', limit: 20 });
  });

  it.each([
    ['API status', 'api_status'],
    ['Flow', 'flow'],
  ])('lists the values of %s (API inventory)', async (label, field) => {
    const { user, last } = renderVariableEditor();
    await pickOption(user, 'variable-A-field', label);
    expect(last()).toEqual({ refId: 'A', field });
  });
});
