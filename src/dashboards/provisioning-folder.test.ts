/**
 * @jest-environment node
 *
 * The bundled dashboards and the example alert rules land in one Grafana folder. Grafana provisions alert rules at
 * start-up before dashboards; a rule group names its folder by title only (`folder`, looked up by title and created
 * with a generated uid when missing), and a dashboard provider with a `folderUid` looks up that uid instead of the
 * title, so it would create a second folder with the same title. Hence: one title everywhere, no uid anywhere.
 */
import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';

const PROVISIONING = path.join(__dirname, '..', '..', 'provisioning');
const readYaml = (file: string) => parse(fs.readFileSync(path.join(PROVISIONING, file), 'utf8'));
const yamlFiles = (dir: string) =>
  fs
    .readdirSync(path.join(PROVISIONING, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${dir}/${f}`);

interface Provider {
  name: string;
  folder?: string;
  folderUid?: string;
}
interface RuleGroup {
  name: string;
  folder?: string;
  folderUID?: string;
  folderUid?: string;
}

const providers: Provider[] = yamlFiles('dashboards').flatMap((f) => readYaml(f).providers ?? []);
const groups: RuleGroup[] = yamlFiles('alerting').flatMap((f) => readYaml(f).groups ?? []);

test('there are dashboard providers and alert rule groups to compare', () => {
  expect(providers.length).toBeGreaterThan(0);
  expect(groups.length).toBeGreaterThan(0);
});

test('every alert rule group and every dashboard provider names the same folder title', () => {
  const titles = new Set([...providers.map((p) => p.folder), ...groups.map((g) => g.folder)]);
  expect([...titles]).toEqual(['API Sessions']);
});

test('no folder uid: rule groups cannot set one, so a provider uid would make a second folder of that title', () => {
  expect(providers.filter((p) => p.folderUid !== undefined).map((p) => p.name)).toEqual([]);
  // Grafana ignores unknown keys of a rule group, so a folderUID there would look like it works and do nothing.
  expect(groups.filter((g) => g.folderUID !== undefined || g.folderUid !== undefined).map((g) => g.name)).toEqual([]);
});
