import '../../test/setup';
import { screen } from '@testing-library/react';
import { renderEditor } from '../../test/render';
import type { RequestsQuery } from '../../types';
import { RequestsEditor } from './RequestsEditor';

const initial: RequestsQuery = { refId: 'A', queryType: 'requests', format: 'table', page_size: 100 };

describe('RequestsEditor', () => {
  it('emits logs format, paging and filters', async () => {
    const { user, last } = renderEditor(RequestsEditor, initial);
    await user.click(screen.getByLabelText('Logs'));
    await user.clear(screen.getByLabelText('Page size'));
    await user.type(screen.getByLabelText('Page size'), '250');
    await user.click(document.getElementById('A-filters-toggle')!);
    await user.type(screen.getByLabelText('Endpoint'), '/api/v1/*');
    await user.type(screen.getByLabelText('Client IP'), '10.0.0.0/8');
    await user.type(screen.getByLabelText('Status'), '4xx');
    await user.click(document.getElementById('A-blocked')!);
    expect(last()).toEqual({
      ...initial,
      format: 'logs',
      page_size: 250,
      endpoint: '/api/v1/*',
      client_ip: '10.0.0.0/8',
      status: '4xx',
      blocked: true,
    });
  });

  it('removes a filter when it is cleared', async () => {
    const { user, last } = renderEditor<RequestsQuery>(RequestsEditor, { ...initial, user: 'alice' });
    await user.clear(screen.getByLabelText('User'));
    expect(last()).toEqual(initial);
  });
});

describe('FiltersEditor toggle', () => {
  it('starts closed without filters and says how many are set', async () => {
    const { user } = renderEditor(RequestsEditor, initial);
    expect(screen.queryByLabelText('Host')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Filters' }));
    await user.type(screen.getByLabelText('Host'), 'h');
    expect(screen.getByRole('button', { name: 'Filters (1 set)' })).toBeTruthy();
  });
});
