import '../../test/setup';
import { screen } from '@testing-library/react';
import { pickOption, renderEditor } from '../../test/render';
import type { PerformanceQuery } from '../../types';
import { PerformanceEditor } from './PerformanceEditor';

const initial: PerformanceQuery = { refId: 'A', queryType: 'performance', view: 'timeseries' };

describe('PerformanceEditor', () => {
  it('splits by endpoint with a limit', async () => {
    const { user, last } = renderEditor(PerformanceEditor, initial);
    expect(screen.queryByLabelText('Endpoints')).toBeNull();
    await user.click(document.getElementById('A-by_endpoint')!);
    await user.type(screen.getByLabelText('Endpoints'), '5');
    expect(last()).toEqual({ ...initial, by_endpoint: true, limit: 5 });
  });

  it('emits the view, dropping the per-endpoint split outside time series', async () => {
    const { user, last, onRunQuery } = renderEditor<PerformanceQuery>(PerformanceEditor, {
      ...initial,
      by_endpoint: true,
    });
    await pickOption(user, 'A-view', 'Slowest endpoints');
    expect(last()).toEqual({ ...initial, view: 'slowest_endpoints' });
    expect(onRunQuery).toHaveBeenCalled();
    expect(document.getElementById('A-by_endpoint')).toBeNull();
  });
});
