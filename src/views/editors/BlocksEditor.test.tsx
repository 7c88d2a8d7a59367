import '../../test/setup';
import { screen } from '@testing-library/react';
import { pickOption, renderEditor } from '../../test/render';
import type { BlocksQuery } from '../../types';
import { BlocksEditor } from './BlocksEditor';

const initial: BlocksQuery = { refId: 'A', queryType: 'blocks', state: 'active', format: 'blocks', limit: 100 };

describe('BlocksEditor', () => {
  it('picks which blocks to show and runs the query', async () => {
    const { user, last, onRunQuery } = renderEditor(BlocksEditor, initial);
    await pickOption(user, 'A-state', 'All');
    expect(last()).toEqual({ ...initial, state: 'all' });
    expect(onRunQuery).toHaveBeenCalled();
    await pickOption(user, 'A-state', 'Ended or expired');
    expect(last()).toEqual({ ...initial, state: 'expired' });
  });

  it('switches between one row per block and the history', async () => {
    const { user, last } = renderEditor(BlocksEditor, initial);
    await user.click(screen.getByRole('radio', { name: 'History' }));
    expect(last()).toEqual({ ...initial, format: 'history' });
  });

  it('emits the limit, and drops it when cleared (service default)', async () => {
    const { user, last } = renderEditor(BlocksEditor, initial);
    await user.clear(screen.getByLabelText('Limit'));
    expect(last()).toEqual({ refId: 'A', queryType: 'blocks', state: 'active', format: 'blocks' });
    await user.type(screen.getByLabelText('Limit'), '20');
    expect(last()).toEqual({ ...initial, limit: 20 });
  });
});
