import '../../test/setup';
import { screen } from '@testing-library/react';
import { pickOption, renderEditor } from '../../test/render';
import type { BreakdownQuery } from '../../types';
import { BreakdownEditor } from './BreakdownEditor';

const initial: BreakdownQuery = { refId: 'A', queryType: 'breakdown', by: 'attack_type', limit: 10 };

describe('BreakdownEditor', () => {
  it('emits the dimension and runs the query', async () => {
    const { user, last, onRunQuery } = renderEditor(BreakdownEditor, initial);
    await pickOption(user, 'A-by', 'Client IP');
    expect(last()).toEqual({ ...initial, by: 'client_ip' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it.each([
    ['Flow', 'flow'],
    ['API status', 'api_status'],
  ])('breaks down by %s', async (label, by) => {
    const { user, last } = renderEditor(BreakdownEditor, initial);
    await pickOption(user, 'A-by', label);
    expect(last()).toEqual({ ...initial, by });
  });

  it('emits the top N and a session scope', async () => {
    const { user, last } = renderEditor(BreakdownEditor, initial);
    await user.clear(screen.getByLabelText('Top'));
    await user.type(screen.getByLabelText('Top'), '5');
    await user.click(document.getElementById('A-filters-toggle')!);
    await user.type(screen.getByLabelText('Session id'), '$session');
    await user.type(screen.getByLabelText('Part start'), '$start');
    await user.type(screen.getByLabelText('Part end'), '2000');
    expect(last()).toEqual({ ...initial, limit: 5, session_id: '$session', start: '$start', end: 2000 });
  });
});
