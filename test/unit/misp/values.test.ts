import { OBJECT_TEMPLATES } from '../../../nodes/shared/misp/templates';
import { checkValue, validateObject } from '../../../nodes/shared/misp/values';
import { PROJECT_NAMESPACE, uuidV5 } from '../../../nodes/shared/misp/uuid';

const ok = (type: string, value: string) => checkValue(type, value);
const accepted = (type: string, value: string) => {
	const result = ok(type, value);
	return result.ok ? result.value : undefined;
};

describe('checkValue', () => {
	it('checks hash lengths and lower-cases them', () => {
		expect(accepted('md5', '4095D60CB61D1AC1DA9B10A50FB568C1')).toBe(
			'4095d60cb61d1ac1da9b10a50fb568c1',
		);
		expect(accepted('sha1', 'a'.repeat(40))).toBe('a'.repeat(40));
		expect(accepted('sha224', 'b'.repeat(56))).toBe('b'.repeat(56));
		expect(accepted('sha256', 'c'.repeat(64))).toBe('c'.repeat(64));
		expect(accepted('sha384', 'd'.repeat(96))).toBe('d'.repeat(96));
		expect(accepted('sha512', 'e'.repeat(128))).toBe('e'.repeat(128));
		expect(accepted('imphash', 'f'.repeat(32))).toBe('f'.repeat(32));
		expect(ok('sha256', 'c'.repeat(63))).toMatchObject({
			ok: false,
			reason: expect.stringContaining('64 hexadecimal'),
		});
		expect(ok('md5', 'g'.repeat(32)).ok).toBe(false);
		expect(accepted('x509-fingerprint-sha1', 'AA:'.repeat(19) + 'AA')).toBe('a'.repeat(40));
	});

	it('checks ssdeep', () => {
		expect(accepted('ssdeep', '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C')).toBeDefined();
		expect(ok('ssdeep', 'not an ssdeep').ok).toBe(false);
	});

	it('normalises IPv4/IPv6 and CIDR as MISP does', () => {
		expect(accepted('ip-dst', '192.0.2.1')).toBe('192.0.2.1');
		expect(accepted('ip-src', '192.0.2.1/32')).toBe('192.0.2.1');
		expect(accepted('ip-dst', '192.0.2.0/24')).toBe('192.0.2.0/24');
		expect(accepted('ip-dst', '2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
		expect(accepted('ip-dst', '2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
		expect(accepted('ip-dst', '::ffff:192.0.2.1')).toBe('::ffff:c000:201');
		expect(accepted('ip-dst', '2001:db8::/128')).toBe('2001:db8::');
		expect(accepted('ip-dst', '2001:db8::/48')).toBe('2001:db8::/48');
		expect(accepted('ip-dst', '::')).toBe('::');
		for (const bad of [
			'256.1.1.1',
			'1.2.3',
			'1.2.3.4/33',
			'gate.example.com',
			'1:2:3:4:5:6:7:8:9',
			'1::2::3',
			'01.2.3.4',
		]) {
			expect([bad, ok('ip-dst', bad).ok]).toEqual([bad, false]);
		}
	});

	it('checks host and domain names', () => {
		expect(accepted('hostname', 'Gate.Update-Check.Example.NET')).toBe(
			'gate.update-check.example.net',
		);
		expect(accepted('domain', 'smtp.mailrelay.example.com.')).toBe('smtp.mailrelay.example.com');
		expect(ok('hostname', 'smtp.mailrelay.example.com.').ok).toBe(false);
		for (const bad of ['wpad', 'localhost', 'example.c', 'a b.example.com', 'evil"host.example']) {
			expect([bad, ok('hostname', bad).ok]).toEqual([bad, false]);
		}
	});

	it('checks ports, sizes, counters, floats, datetimes and HTTP methods', () => {
		expect(accepted('port', '443')).toBe('443');
		expect(ok('port', '0').ok).toBe(false);
		expect(ok('port', '65536').ok).toBe(false);
		expect(ok('port', '80.5').ok).toBe(false);
		expect(accepted('size-in-bytes', '0')).toBe('0');
		expect(ok('size-in-bytes', '-1').ok).toBe(false);
		expect(ok('counter', '1.5').ok).toBe(false);
		expect(accepted('float', '-1.5e3')).toBe('-1.5e3');
		expect(ok('float', 'NaN').ok).toBe(false);
		expect(accepted('datetime', '2024-03-18 09:41:07')).toBe('2024-03-18 09:41:07');
		expect(ok('datetime', 'yesterday-ish').ok).toBe(false);
		expect(accepted('http-method', 'post')).toBe('POST');
		expect(ok('http-method', 'YEET').ok).toBe(false);
	});

	it('requires absolute links and forbids line breaks in url-like types', () => {
		expect(
			accepted('link', 'https://user.lastline.com/portal#/analyst/task/abc/overview'),
		).toBeDefined();
		expect(ok('link', '/portal#/analyst').ok).toBe(false);
		expect(ok('link', 'https://exa mple.com/').ok).toBe(false);
		for (const type of ['url', 'uri', 'regkey', 'filename', 'user-agent']) {
			expect(accepted(type, 'a\u202Eb"c')).toBe('a\u202Eb"c');
			expect(ok(type, 'a\nb').ok).toBe(false);
		}
	});

	it('accepts anything non-empty for free-text types, within MISP size limits', () => {
		for (const type of ['text', 'other', 'mime-type', 'comment']) {
			expect(accepted(type, 'line1\nline2 "quoted"')).toBe('line1\nline2 "quoted"');
			expect(ok(type, '   ').ok).toBe(false);
			expect(ok(type, '\u0001\u0002').ok).toBe(false);
		}
		expect(accepted('text', 'x'.repeat(65535))).toHaveLength(65535);
		expect(ok('text', 'x'.repeat(65536)).ok).toBe(false);
		expect(ok('no-such-type', 'x').ok).toBe(false);
	});
});

describe('validateObject', () => {
	const template = OBJECT_TEMPLATES['sb-signature'];
	const base = {
		name: 'sb-signature',
		'meta-category': template.metaCategory,
		template_uuid: template.uuid,
		template_version: String(template.version),
	};
	const attr = (relation: string, value: string, extra: object = {}) => ({
		object_relation: relation,
		type: 'text',
		category: 'External analysis',
		value,
		to_ids: false,
		...extra,
	});

	it('accepts a valid object', () => {
		expect(
			validateObject({
				...base,
				Attribute: [attr('software', 'x'), attr('signature', 'a'), attr('signature', 'b')],
			}),
		).toEqual([]);
	});

	it('reports each kind of problem readably', () => {
		const problems = validateObject({
			...base,
			template_version: '1',
			Attribute: [
				attr('software', 'x'),
				attr('software', 'y'),
				attr('nonsense', 'z'),
				attr('datetime', 'not a date', { type: 'datetime', category: 'Other' }),
				attr('text', 't', { category: 'Payload delivery' }),
				attr('signature', 's', { category: 'Nonsense' }),
			],
		});
		expect(problems).toEqual(
			expect.arrayContaining([
				expect.stringContaining('template_version'),
				expect.stringContaining('"software" is not multiple'),
				expect.stringContaining('not part of template'),
				expect.stringContaining('not a parsable date'),
				expect.stringContaining('does not allow type text'),
				expect.stringContaining('category should be one of Other'),
			]),
		);
		expect(validateObject({ ...base, Attribute: [attr('software', 'x')] })).toEqual([
			'Required relation "signature" is missing.',
		]);
		expect(validateObject({ name: 'nope' })).toEqual(['Unknown object template "nope".']);
		expect(validateObject({ ...base, name: 'sandbox-report', Attribute: [] })).toEqual(
			expect.arrayContaining([
				expect.stringContaining('no attributes'),
				expect.stringContaining('sandbox-type'),
			]),
		);
	});
});

describe('uuidV5', () => {
	it('matches RFC 4122 reference values', () => {
		// Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
		expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
			'886313e1-3b8a-5372-9b90-0c9aee199e5d',
		);
		// The project namespace is itself uuid5(NAMESPACE_URL, 'n8n-nodes-nsx-ata').
		expect(uuidV5('n8n-nodes-nsx-ata', '6ba7b811-9dad-11d1-80b4-00c04fd430c8')).toBe(
			PROJECT_NAMESPACE,
		);
	});

	it('is deterministic, version 5, variant RFC 4122', () => {
		const a = uuidV5('task/object');
		expect(uuidV5('task/object')).toBe(a);
		expect(uuidV5('task/object2')).not.toBe(a);
		expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(() => uuidV5('x', 'not-a-uuid')).toThrow();
	});
});
