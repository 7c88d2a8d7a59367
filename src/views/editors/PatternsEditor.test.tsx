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

  it('emits a skipped step: the guarded endpoint, its predecessor and how parts are split', async () => {
    const { user, last } = renderEditor(PatternsEditor, initial);
    expect(screen.queryByLabelText('Predecessor pattern')).toBeNull();
    await pickOption(user, 'A-condition', 'Skipped a step (e.g. checkout without a cart)');
    expect(screen.queryByLabelText('Threshold (N)')).toBeNull();
    await user.type(screen.getByLabelText('Endpoint pattern'), '/api/checkout');
    await user.type(screen.getByLabelText('Predecessor pattern'), '/api/cart/items*');
    await user.type(screen.getByLabelText('Idle timeout'), '15');
    expect(last()).toEqual({
      refId: 'A',
      queryType: 'patterns',
      condition: 'skipped_step',
      endpoint_pattern: '/api/checkout',
      predecessor_pattern: '/api/cart/items*',
      idle_timeout_minutes: 15,
    });
  });

  it('drops the skipped-step parameters for another condition (the service refuses them there)', async () => {
    const skipped: PatternsQuery = {
      refId: 'A',
      queryType: 'patterns',
      condition: 'skipped_step',
      endpoint_pattern: '/api/checkout',
      predecessor_pattern: '/api/cart/items*',
      idle_timeout_minutes: 15,
      split_by_day: false,
    };
    const { user, last } = renderEditor<PatternsQuery>(PatternsEditor, skipped);
    await pickOption(user, 'A-condition', 'Any request to endpoint');
    expect(last()).toEqual({
      refId: 'A',
      queryType: 'patterns',
      condition: 'endpoint',
      endpoint_pattern: '/api/checkout',
    });
    expect(screen.queryByLabelText('Predecessor pattern')).toBeNull();
    expect(screen.queryByLabelText('Idle timeout')).toBeNull();
  });
});
