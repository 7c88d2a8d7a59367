import '../../test/setup';
import { screen } from '@testing-library/react';
import { renderEditor } from '../../test/render';
import type { TimelineQuery } from '../../types';
import { TimelineEditor } from './TimelineEditor';

const initial: TimelineQuery = { refId: 'A', queryType: 'timeline', session_id: '', format: 'trace' };

describe('TimelineEditor', () => {
  it('emits the session part, taking numbers and variables', async () => {
    const { user, last } = renderEditor(TimelineEditor, initial);
    await user.type(screen.getByLabelText('Session id'), 'abc');
    await user.type(screen.getByLabelText('Part start'), '1700000000000');
    await user.type(screen.getByLabelText('Part end'), '$end');
    expect(last()).toEqual({ ...initial, session_id: 'abc', start: 1700000000000, end: '$end' });
  });

  it('switches to table format and runs the query', async () => {
    const { user, last, onRunQuery } = renderEditor(TimelineEditor, initial);
    await user.click(screen.getByLabelText('Table'));
    expect(last()).toEqual({ ...initial, format: 'table' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('emits paging', async () => {
    const { user, last } = renderEditor(TimelineEditor, initial);
    await user.type(screen.getByLabelText('Page'), '2');
    await user.type(screen.getByLabelText('Page size'), '500');
    expect(last()).toEqual({ ...initial, page: 2, page_size: 500 });
  });
});
