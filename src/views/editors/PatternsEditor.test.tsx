import '../../test/setup';
import { screen } from '@testing-library/react';
import { pickOption, renderEditor } from '../../test/render';
import type { PatternsQuery } from '../../types';
import { PatternsEditor } from './PatternsEditor';

const initial: PatternsQuery = { refId: 'A', queryType: 'patterns', condition: 'attacks', threshold: 1 };

describe('PatternsEditor', () => {
  it('emits a brute-force pattern: condition, threshold, endpoint pattern, grouping', async () => {
    const { user, last } = renderEditor(PatternsEditor, initial);
    expect(screen.queryByLabelText('Endpoint pattern')).toBeNull();
    await pickOption(user, 'A-condition', 'Auth failures ≥ N (401/403)');
    await user.clear(screen.getByLabelText('Threshold (N)'));
    await user.type(screen.getByLabelText('Threshold (N)'), '10');
    await user.type(screen.getByLabelText('Endpoint pattern'), '*login*');
    await pickOption(user, 'A-group_by', 'Client IP');
    expect(last()).toEqual({
      ...initial,
      condition: 'auth_failures',
      threshold: 10,
      endpoint_pattern: '*login*',
      group_by: 'client_ip',
    });
  });

  it('emits the shadow-or-zombie condition with its threshold', async () => {
    const { user, last } = renderEditor<PatternsQuery>(PatternsEditor, { ...initial, endpoint_pattern: '*login*' });
    await pickOption(user, 'A-condition', 'Called a shadow or zombie endpoint ≥ N times');
    expect(last()).toEqual({ ...initial, condition: 'shadow_or_zombie' });
    expect(screen.queryByLabelText('Endpoint pattern')).toBeNull();
    await user.clear(screen.getByLabelText('Threshold (N)'));
    await user.type(screen.getByLabelText('Threshold (N)'), '3');
    expect(last()).toEqual({ ...initial, condition: 'shadow_or_zombie', threshold: 3 });
  });

  it('hides the threshold for conditions without one', async () => {
    const { user, last } = renderEditor(PatternsEditor, initial);
    await pickOption(user, 'A-condition', 'Any blocked request');
    expect(last()).toEqual({ refId: 'A', queryType: 'patterns', condition: 'blocked' });
    expect(screen.queryByLabelText('Threshold (N)')).toBeNull();
  });
});
