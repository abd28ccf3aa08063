/** IPv6 compression as MISP stores ip-src/ip-dst values: PHP inet_ntop(inet_pton(x)) (misp.md §3.2). */
import { compressIpv6, isIpv4, isIpv6 } from '../../../simulator/misp/ipAddress';

describe('compressIpv6', () => {
	it.each([
		['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
		['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
		['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
		['0:0:0:0:0:0:0:1', '::1'],
		['0:0:0:0:0:0:0:0', '::'],
		['fe80::0:0:1', 'fe80::1'],
		['::ffff:192.0.2.128', '::ffff:192.0.2.128'],
		['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
	])('%s → %s', (input, expected) => {
		expect(compressIpv6(input)).toBe(expected);
	});

	it('recognises addresses and rejects near misses', () => {
		expect(isIpv6('2001:db8::1')).toBe(true);
		expect(isIpv6('2001:db8:::1')).toBe(false);
		expect(isIpv6('1:2:3:4:5:6:7:8:9')).toBe(false);
		expect(isIpv6('::ffff:300.1.1.1')).toBe(false);
		expect(isIpv4('10.0.0.12')).toBe(true);
		expect(isIpv4('010.0.0.1')).toBe(false);
	});
});
