import { standardTransformersRegistry, type TransformerRegistryItem } from '@grafana/data';

import { standardTransformers } from '@grafana/data';

let registered = false;

/**
 * Registers Grafana's standard transformations in @grafana/data's registry, once, so that `transformDataFrame` runs a
 * panel's `transformations` outside Grafana (in jest and the browser harness) as Grafana would.
 */
export function registerStandardTransformers(): void {
  if (registered) {
    return;
  }
  registered = true;
  // Grafana fills this registry from its own app code; outside Grafana, @grafana/data's (deprecated) list is the only
  // source of its transformations there is.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const unique = new Map(Object.values(standardTransformers).map((t) => [t.id, t]));
  standardTransformersRegistry.setInit(() =>
    [...unique.values()].map(
      (t) =>
        ({
          id: t.id,
          name: t.name,
          transformation: async () => t,
          editor: () => null,
        }) as unknown as TransformerRegistryItem,
    ),
  );
}
