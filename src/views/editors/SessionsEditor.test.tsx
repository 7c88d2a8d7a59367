import '../../test/setup';
import { screen } from '@testing-library/react';
import { pickOption, renderEditor } from '../../test/render';
import type { SessionsQuery } from '../../types';
import { SessionsEditor } from './SessionsEditor';

const initial: SessionsQuery = { refId: 'A', queryType: 'sessions', sort: 'last_activity', limit: 100 };

describe('SessionsEditor', () => {
  it('emits limit, idle timeout and minimums typed by the user', async () => {
    const { user, last } = renderEditor(SessionsEditor, initial);
    await user.clear(screen.getByLabelText('Limit'));
    await user.type(screen.getByLabelText('Limit'), '50');
    await user.type(screen.getByLabelText('Idle timeout'), '15');
    await user.type(screen.getByLabelText('Min attacks'), '2');
    expect(last()).toEqual({ ...initial, limit: 50, idle_timeout_minutes: 15, min_attacks: 2 });
  });

  it('keeps a template variable as the idle timeout, and shows the one a dashboard saved', async () => {
    const { user, last } = renderEditor(SessionsEditor, initial);
    await user.type(screen.getByLabelText('Idle timeout'), '$idle_timeout');
    expect(last()).toEqual({ ...initial, idle_timeout_minutes: '$idle_timeout' });
    const saved = { ...initial, idle_timeout_minutes: '$idle_timeout' } as unknown as SessionsQuery;
    renderEditor(SessionsEditor, saved);
    expect(screen.getAllByLabelText('Idle timeout').map((e) => (e as HTMLInputElement).value)).toContain(
      '$idle_timeout',
    );
  });

  it('emits the sort order and runs the query', async () => {
    const { user, last, onRunQuery } = renderEditor(SessionsEditor, initial);
    await pickOption(user, 'A-sort', 'Attacks');
    expect(last()).toEqual({ ...initial, sort: 'attacks' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('emits split_by_day false only when switched off', async () => {
    const { user, last } = renderEditor(SessionsEditor, initial);
    await user.click(document.getElementById('A-split_by_day')!);
    expect(last()).toEqual({ ...initial, split_by_day: false });
    await user.click(document.getElementById('A-split_by_day')!);
    expect(last()).toEqual(initial);
  });

  it('emits filters', async () => {
    const { user, last } = renderEditor(SessionsEditor, initial);
    await user.click(document.getElementById('A-filters-toggle')!);
    await user.type(screen.getByLabelText('Host'), 'api.example.com');
    await user.type(screen.getByLabelText('Status'), '401');
    await user.click(document.getElementById('A-attacked')!);
    expect(last()).toEqual({ ...initial, host: 'api.example.com', status: 401, attacked: true });
  });
});
