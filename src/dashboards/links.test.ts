/**
 * @jest-environment node
 *
 * Every link that leads an analyst somewhere must open a bundled dashboard that exists with variables it declares:
 * the data links the service's frames carry (backend/src/grafana.ts), the links in the dashboards' JSON, and the
 * links of the provisioned alert rules (provisioning/alerting/rules.yaml).
 */
import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { DASHBOARDS } from '../../backend/src/grafana';
import { DASHBOARDS_BY_UID, SERVICE_LINKS, linkTarget, loadDashboard, unresolved } from '../test/dashboard-links';

const ROOT = path.join(__dirname, '..', '..');

/** Every `url` in a JSON tree that points at a dashboard (`/d/…`), with its path. */
function dashboardUrls(node: unknown, at = '$'): Array<{ at: string; url: string }> {
  if (Array.isArray(node)) {
    return node.flatMap((v, i) => dashboardUrls(v, `${at}[${i}]`));
  }
  if (node === null || typeof node !== 'object') {
    return [];
  }
  const own = Object.entries(node as Record<string, unknown>);
  const here = own
    .filter(([k, v]) => k === 'url' && typeof v === 'string' && v.includes('/d/'))
    .map(([, v]) => ({ at, url: v as string }));
  return [...here, ...own.flatMap(([k, v]) => dashboardUrls(v, `${at}.${k}`))];
}

describe('link targets', () => {
  it('parse the dashboard uid and the variables a URL sets', () => {
    expect(linkTarget('/d/abc/slug?var-user=${__value.raw}&var-start=&${__url_time_range}')).toEqual({
      uid: 'abc',
      variables: ['user', 'start'],
    });
    expect(() => linkTarget('/explore?left=x')).toThrow('not a dashboard URL: /explore?left=x');
  });

  it('name an unknown dashboard and an undeclared variable', () => {
    expect(unresolved('/d/nope/x?var-a=1')).toEqual(['no bundled dashboard has uid nope']);
    expect(unresolved(`/d/${DASHBOARDS.sessions.uid}/x?var-client_ip=1&var-nope=2`)).toEqual([
      `dashboard ${DASHBOARDS.sessions.uid} has no variable nope`,
    ]);
  });
});

describe('data links of the service frames', () => {
  it.each(SERVICE_LINKS.map((l) => [l.where, l.link.title, l.link.url] as const))(
    '%s "%s" opens an existing dashboard with declared variables',
    (_where, _title, url) => {
      expect(unresolved(url)).toEqual([]);
    },
  );

  it('lead from an IP, a user, an endpoint and an attack type to the session list', () => {
    const toList = SERVICE_LINKS.filter((l) => linkTarget(l.link.url).uid === DASHBOARDS.sessions.uid);
    const set = new Set(toList.flatMap((l) => linkTarget(l.link.url).variables));
    expect([...set].sort()).toEqual(['api_status', 'attack_type', 'client_ip', 'endpoint', 'flow', 'user'].sort());
  });

  it('lead from a part and from a request to the session details, keeping the time range', () => {
    const toDetails = SERVICE_LINKS.filter((l) => linkTarget(l.link.url).uid === DASHBOARDS.sessionDetails.uid);
    expect(toDetails.map((l) => l.where).sort()).toEqual(
      ['requests.session_id', 'sessions.session_id', 'timeline(table).session_id'].sort(),
    );
    for (const { link } of toDetails) {
      expect(linkTarget(link.url).variables.slice(0, 3)).toEqual(['session', 'start', 'end']);
      expect(link.url).toContain('${__url_time_range}');
    }
  });
});

describe.each(Object.values(DASHBOARDS).map((d) => [d.file, d] as const))('%s', (_file, facts) => {
  it('links (dashboard links and any data link in its JSON) open existing dashboards with declared variables', () => {
    const problems = dashboardUrls(loadDashboard(facts)).flatMap(({ at, url }) =>
      unresolved(url).map((p) => `${at}: ${p}`),
    );
    expect(problems).toEqual([]);
  });
});

interface AlertRule {
  uid: string;
  data: Array<{ datasourceUid: string; model: { group_by?: string } }>;
  annotations: Record<string, string>;
}

describe('provisioned alert rules', () => {
  const file = fs.readFileSync(path.join(ROOT, 'provisioning', 'alerting', 'rules.yaml'), 'utf8');
  const rules: AlertRule[] = parse(file).groups.flatMap((g: { rules: AlertRule[] }) => g.rules);
  // The service's own health rule (Prometheus metrics) is about no session: it has no sessions to open.
  const sessionRules = rules.filter((r) => r.data.some((q) => q.datasourceUid === 'api-sessions'));

  it('are parsed (the session rules are the ones on the API Sessions data source)', () => {
    expect(sessionRules.length).toBeGreaterThanOrEqual(4);
  });

  it.each(sessionRules.map((r) => [r.uid, r] as const))(
    '%s opens a dashboard and panel that exist, filtered by the alert label it groups by',
    (_uid, rule) => {
      const { __dashboardUid__: uid, __panelId__: panelId, runbook_url: url } = rule.annotations;
      const dashboard = DASHBOARDS_BY_UID.get(uid);
      expect(dashboard?.uid).toBe(uid);
      const panelIds = (dashboard?.panels ?? []).map((p) => String(p.id));
      expect(panelIds).toContain(panelId);
      expect(url).toBeDefined();
      expect(unresolved(url)).toEqual([]);
      expect(linkTarget(url).uid).toBe(uid);
      const groupBy = rule.data.find((q) => q.datasourceUid === 'api-sessions')?.model.group_by;
      expect(groupBy).toBeDefined();
      // The variable of the group_by dimension, set from the firing series' label of the same name.
      expect(url).toContain(`var-${groupBy}={{ $labels.${groupBy} }}`);
    },
  );
});
