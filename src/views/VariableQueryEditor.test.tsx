import '../test/setup';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { pickOption } from '../test/render';
import type { VariableQuery } from '../types';
import { VariableQueryEditor } from './VariableQueryEditor';

describe('VariableQueryEditor', () => {
  it('emits the field, prefix and limit', async () => {
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
    await pickOption(user, 'variable-A-field', 'Endpoint');
    await user.type(screen.getByLabelText('Prefix'), '/api');
    await user.type(screen.getByLabelText('Limit'), '20');
    expect(onChange.mock.calls[onChange.mock.calls.length - 1][0]).toEqual({
      refId: 'A',
      field: 'endpoint',
      prefix: '/api',
      limit: 20,
    });
  });
});
