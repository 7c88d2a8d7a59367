import { buildValuesBody, ipPrefixQuery, parseValueField } from './values';

const range = { from: 0, to: 9 };

describe('values of a field', () => {
  it('lists every filter field with values: client_ip, session_id and bot too', () => {
    for (const f of ['host', 'client_ip', 'session_id', 'bot']) expect(parseValueField(f)).toBe(f);
    expect(() => parseValueField('attacked')).toThrow(/unknown field "attacked"/);
  });

  it('turns a typed IPv4 start into the range it names, and keeps addresses and CIDRs', () => {
    expect(ipPrefixQuery('10.1.')).toEqual({ term: { client_ip: { value: '10.1.0.0/16' } } });
    expect(ipPrefixQuery('10')).toEqual({ term: { client_ip: { value: '10.0.0.0/8' } } });
    expect(ipPrefixQuery('192.168.7')).toEqual({ term: { client_ip: { value: '192.168.7.0/24' } } });
    expect(ipPrefixQuery('192.168.7.9')).toEqual({ term: { client_ip: { value: '192.168.7.9' } } });
    expect(ipPrefixQuery('2001:db8::/32')).toEqual({ term: { client_ip: { value: '2001:db8::/32' } } });
    for (const bad of ['10.300.', 'abc', '2001:db8', '10.0.0.0/33', '1.2.3.4/8/9'])
      expect(ipPrefixQuery(bad)).toBeUndefined();
  });

  it('filters client_ip by that range (an ip field has no regex) and refuses a prefix naming none', () => {
    const body = buildValuesBody('client_ip', '10.1.', 100, range);
    expect(body.query.bool.filter).toContainEqual({ term: { client_ip: { value: '10.1.0.0/16' } } });
    expect(body.aggs.values.terms).toEqual({ field: 'client_ip', size: 100 });
    expect(() => buildValuesBody('client_ip', 'x', 100, range)).toThrow(/prefix: for client_ip/);
  });

  it('matches session ids by prefix on the session key', () => {
    expect(buildValuesBody('session_id', '3f9c', 10, range).aggs.values.terms).toEqual({
      field: 'session.key',
      size: 10,
      include: '3f9c.*',
    });
  });
});
