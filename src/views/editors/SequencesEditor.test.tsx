import '../../test/setup';
import { screen } from '@testing-library/react';
import { renderEditor } from '../../test/render';
import type { SequencesQuery } from '../../types';
import { SequencesEditor } from './SequencesEditor';

const initial: SequencesQuery = { refId: 'A', queryType: 'sequences', format: 'graph', limit: 50 };

describe('SequencesEditor', () => {
  it('emits one session part: its start and end, taking numbers and variables', async () => {
    const { user, last } = renderEditor(SequencesEditor, initial);
    await user.type(screen.getByLabelText('Part start'), '$start');
    await user.type(screen.getByLabelText('Part end'), '1700000000000');
    expect(last()).toEqual({ ...initial, start: '$start', end: 1700000000000 });
  });

  it('switches to the table format and runs the query', async () => {
    const { user, last, onRunQuery } = renderEditor(SequencesEditor, initial);
    await user.click(screen.getByLabelText('Table'));
    expect(last()).toEqual({ ...initial, format: 'table' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('emits the number of transitions and the idle timeout', async () => {
    const bare: SequencesQuery = { refId: 'A', queryType: 'sequences', format: 'graph' };
    const { user, last } = renderEditor(SequencesEditor, bare);
    await user.type(screen.getByLabelText('Transitions'), '20');
    await user.type(screen.getByLabelText('Idle timeout'), '15');
    expect(last()).toEqual({ ...bare, limit: 20, idle_timeout_minutes: 15 });
  });
});
