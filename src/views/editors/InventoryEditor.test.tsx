import '../../test/setup';
import { screen } from '@testing-library/react';
import { pickOption, renderEditor } from '../../test/render';
import type { InventoryQuery } from '../../types';
import { InventoryEditor } from './InventoryEditor';

const initial: InventoryQuery = { refId: 'A', queryType: 'inventory', sort: 'requests', limit: 100 };

describe('InventoryEditor', () => {
  it('offers every sort order, emits the picked one and runs the query', async () => {
    const { user, last, onRunQuery } = renderEditor(InventoryEditor, initial);
    await pickOption(user, 'A-sort', 'Error rate');
    expect(last()).toEqual({ ...initial, sort: 'error_rate' });
    expect(onRunQuery).toHaveBeenCalled();
    await pickOption(user, 'A-sort', 'Last seen');
    expect(last()).toEqual({ ...initial, sort: 'last_seen' });
    await pickOption(user, 'A-sort', 'Sessions');
    expect(last()).toEqual({ ...initial, sort: 'sessions' });
  });

  it('emits the limit, and drops it when cleared (service default)', async () => {
    const { user, last } = renderEditor(InventoryEditor, initial);
    await user.clear(screen.getByLabelText('Limit'));
    expect(last()).toEqual({ refId: 'A', queryType: 'inventory', sort: 'requests' });
    await user.type(screen.getByLabelText('Limit'), '250');
    expect(last()).toEqual({ ...initial, limit: 250 });
  });

  it('emits the API status and flow filters', async () => {
    const { user, last } = renderEditor(InventoryEditor, initial);
    await user.click(document.getElementById('A-filters-toggle')!);
    await user.type(screen.getByLabelText('API status'), 'shadow,zombie');
    await user.type(screen.getByLabelText('Flow'), 'billing');
    await user.type(screen.getByLabelText('Host'), '$host');
    expect(last()).toEqual({ ...initial, api_status: 'shadow,zombie', flow: 'billing', host: '$host' });
  });
});
