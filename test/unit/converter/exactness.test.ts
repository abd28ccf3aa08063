/**
 * Converter exactness (issue 12, rules 1–5): every value a real MISP accepts, every name
 * canonical, every text verbatim. Each case is a small hand-made report; the expected values
 * are written out in full.
 */
import {
	ATTACK_GALAXY,
	toMispEvent,
	toMispResults,
	type MispObject,
} from '../../../nodes/shared/misp/converter';
import { describeWithOfficialMisp } from '../../support/officialMisp';
import { outputProblems, phpDecodable } from './outputChecks';

const TASK = '0123456789abcdef0010bbbbbbbbbbbb';
const report = (subject: object, extra: object = {}, top: object = {}) => ({
	task_uuid: TASK,
	score: 80,
	analysis_subject: { sha256: 'a'.repeat(64) },
	report: {
		analysis_subjects: [{ overview: { id: 1 }, process: { process_id: '100' }, ...subject }],
		...extra,
	},
	...top,
});
const values = (object: MispObject | undefined, relation: string) =>
	(object?.Attribute ?? []).filter((a) => a.object_relation === relation).map((a) => a.value);
const named = (objects: MispObject[], name: string) => objects.filter((o) => o.name === name);

describe('rule 1: ATT&CK tags take the galaxy name for the id', () => {
	const out = toMispResults(
		report(
			{},
			{},
			{
				activity_to_mitre_techniques: {
					'Network: downloads a file': [{ id: 'T1105', name: 'Remote File Copy' }],
					'Masquerading: file name': [{ id: 'T1036.005', name: 'Match Legitimate Name or Location' }],
					'Injection: remote thread': [{ id: 'T1055', name: 'Process Injection' }],
					'Injection: hollowing': [{ id: 't1055 ', name: 'Process injection (memory)' }],
					'Unknown: new behaviour': [{ id: 'T9999', name: 'Future Technique' }],
					'Obfuscation: packed': [
						{ id: 'T1027', name: '<b>Obfuscated</b> "Files" - T1027"]' },
					],
				},
			},
		),
	);

	it('emits one tag per id, named from the galaxy, sorted by id', () => {
		expect(out.Tag.map((t) => t.name)).toEqual([
			'misp-galaxy:mitre-attack-pattern="Obfuscated Files or Information - T1027"',
			'misp-galaxy:mitre-attack-pattern="Match Legitimate Resource Name or Location - T1036.005"',
			'misp-galaxy:mitre-attack-pattern="Process Injection - T1055"',
			'misp-galaxy:mitre-attack-pattern="Ingress Tool Transfer - T1105"',
		]);
	});

	it('gives no tag and a warning for an id the galaxy does not know', () => {
		expect(out.warnings).toEqual([
			`ATT&CK: T9999 is not in MISP's mitre-attack-pattern galaxy (cluster version ${ATTACK_GALAXY.clusterVersion}); no tag.`,
		]);
	});

	it('records the galaxy the table came from', () => {
		expect(ATTACK_GALAXY).toMatchObject({
			galaxy: 'mitre-attack-pattern',
			galaxyUuid: 'c4e851fa-775f-11e7-8163-b774922098cd',
		});
		expect(ATTACK_GALAXY.galaxyVersion).toBeGreaterThan(0);
		expect(ATTACK_GALAXY.commit).toMatch(/^[0-9a-f]{40}$/u);
	});
});

describe('rule 2: hosts are normalised, never silently lost', () => {
	const out = toMispResults(
		report(
			{
				dns_queries: [
					{ hostname: 'BÜCHER.example', results: ['192.0.2.10'] },
					{ hostname: 'bücher.example.', results: ['192.0.2.11'] },
					{ hostname: 'Mail.Example.COM.', results: [] },
					{ hostname: 'bad host.example', results: [] },
				],
				http_conversations: [
					{
						src_ip: '10.0.2.15',
						src_port: 49200,
						dst_ip: '192.0.2.10',
						dst_port: 80,
						dst_host: 'BÜCHER.example.',
						url: 'GET /index.html HTTP/1.1',
					},
					{
						src_ip: '10.0.2.15',
						src_port: 49201,
						dst_ip: '192.0.2.12',
						dst_port: 8443,
						dst_host: 'CDN.Example.NET.',
						url: 'POST /Upload HTTP/1.1',
					},
				],
			},
			{
				analysis: {
					network: {
						requests: [
							{ url: 'HTTP://Shop.BÜCHER.example./Käse?x=1', ip: '192.0.2.20' },
							{ url: 'https://WWW.Example.ORG./', ip: '192.0.2.21' },
						],
					},
				},
			},
		),
	);

	it('DNS: punycode, lower case, no trailing dot; one object per normalised name', () => {
		const domains = named(out.Object, 'domain-ip');
		expect(domains.map((d) => values(d, 'hostname'))).toEqual([
			['xn--bcher-kva.example'],
			['mail.example.com'],
		]);
		expect(values(domains[0], 'ip')).toEqual(['192.0.2.10', '192.0.2.11']);
		expect(out.warnings).toContain('dns_queries: skipped invalid host name "bad host.example".');
	});

	it('HTTP conversations: the URL uses the normalised host, not the destination IP', () => {
		const requests = named(out.Object, 'http-request');
		expect(requests.map((r) => [values(r, 'url'), values(r, 'host')])).toEqual([
			[['http://xn--bcher-kva.example/index.html'], ['xn--bcher-kva.example']],
			[['https://cdn.example.net:8443/Upload'], ['cdn.example.net']],
			[['http://shop.xn--bcher-kva.example/K%C3%A4se?x=1'], ['shop.xn--bcher-kva.example']],
			[['https://www.example.org/'], ['www.example.org']],
		]);
		expect(
			named(out.Object, 'network-connection').map((c) => values(c, 'hostname-dst')),
		).toEqual([['xn--bcher-kva.example'], ['cdn.example.net']]);
	});
});

describe('rule 3: URLs and URIs never hold whitespace or control characters', () => {
	const conversation = (port: number, url: string) => ({
		src_ip: '10.0.2.15',
		src_port: port,
		dst_ip: '192.0.2.30',
		dst_port: 80,
		dst_host: 'search.example',
		url,
	});
	const out = toMispResults(
		report({
			http_conversations: [
				conversation(1, 'GET /search?q=two words HTTP/1.1'),
				conversation(2, 'GET /\r\nX-Injected: 1 HTTP/1.1'),
				conversation(3, 'GET /tab\there\u0007 HTTP/1.0'),
			],
		}),
	);

	it('percent-encodes spaces and controls in the request target', () => {
		const requests = named(out.Object, 'http-request');
		expect(requests.map((r) => [values(r, 'url')[0], values(r, 'uri')[0]])).toEqual([
			['http://search.example/search?q=two%20words', '/search?q=two%20words'],
			['http://search.example/tab%09here%07', '/tab%09here%07'],
		]);
	});

	it('skips a request line with CR or LF with a warning, never joining its pieces', () => {
		expect(out.warnings).toEqual([
			'http_conversations: skipped the request line "GET /\\r\\nX-Injected: 1 HTTP/1.1": a line break in it is a header injection attempt.',
		]);
		const everything = JSON.stringify(out.Object);
		expect(everything).not.toContain('X-Injected');
		// The flow itself happened: its connection object stays.
		expect(named(out.Object, 'network-connection')).toHaveLength(3);
	});
});

describe('rule 4: text is copied verbatim or not at all', () => {
	const out = toMispResults(
		report(
			{
				process: { process_id: '100', arguments: '"C:\\Tools\\x.exe"  -a \u200b ' },
				mutex_creates: [{ mutex_name: ' spaced\u200d ' }, { mutex_name: 7 }],
				registry_writes: [
					{ key: 'HKCU\\Software\\Vendor ', value: ' Run', data: 'cmd.exe /c x\ufeff' },
					{ key: 'HKCU\\Software\\Numbers', value: 'Count', data: 42 },
				],
				file_writes: [
					{
						abs_path: 'C:\\Temp\\a\nb.exe',
						ext_info: { sha256: 'c'.repeat(64), md5: 'd'.repeat(32), size: 10 },
					},
					{ abs_path: 'C:\\Temp\\nul\u0000.dll', ext_info: { sha256: 'e'.repeat(64) } },
				],
			},
			{},
			{ malicious_activity: ['Evasion: sleeps ', '\ufeffSignature with a BOM\t', 42, null] },
		),
	);

	it('keeps signatures exactly, trailing white space and BOM included; a number is no signature', () => {
		expect(values(named(out.Object, 'sb-signature')[0], 'signature')).toEqual([
			'Evasion: sleeps ',
			'\ufeffSignature with a BOM\t',
		]);
		expect(out.warnings).toContain('malicious_activity: skipped "42": not text.');
		expect(out.warnings).toContain('malicious_activity: skipped "null": not text.');
	});

	it('keeps mutex names, registry keys and values and command lines exactly', () => {
		expect(named(out.Object, 'mutex').map((m) => values(m, 'name'))).toEqual([[' spaced\u200d ']]);
		expect(out.warnings).toContain('mutex_creates: skipped mutex name "7": not text.');
		const keys = named(out.Object, 'registry-key');
		expect(keys.map((k) => [values(k, 'key'), values(k, 'name'), values(k, 'data')])).toEqual([
			[['HKCU\\Software\\Vendor '], [' Run'], ['cmd.exe /c x\ufeff']],
			[['HKCU\\Software\\Numbers'], ['Count'], []],
		]);
		expect(out.warnings).toContain('registry_writes: left out data "42": not text.');
		expect(values(named(out.Object, 'process')[0], 'command-line')).toEqual([
			'"C:\\Tools\\x.exe"  -a \u200b ',
		]);
	});

	it('leaves out a file name and path with a line break or NUL, keeping the hashes', () => {
		const files = named(out.Object, 'file').filter((f) => f.comment === undefined);
		expect(
			files.map((f) => f.Attribute.map((a) => `${a.object_relation}=${a.value}`)),
		).toEqual([
			['md5=' + 'd'.repeat(32), 'sha256=' + 'c'.repeat(64), 'size-in-bytes=10'],
			['sha256=' + 'e'.repeat(64)],
		]);
		expect(out.warnings).toContain(
			`file ${'c'.repeat(64)}: left out the name and path "C:\\\\Temp\\\\a\\nb.exe": a line break or NUL is not part of a Windows path.`,
		);
	});
});

describe('rule 5: every value is acceptable to PHP json_decode', () => {
	const document = report(
		{
			mutex_creates: [{ mutex_name: 'Global\\\ud800lock' }, { mutex_name: 'pair \ud83d\ude00 ok' }],
			overview: { id: 1, analysis_reason: 'reason \udc00' },
		},
		{},
		{ analysis_subject: { url: 'http://x.example/\udbff' } },
	);
	const out = toMispResults(document);

	it('replaces a lone surrogate in a mutex name with U+FFFD and warns; pairs stay', () => {
		expect(named(out.Object, 'mutex').map((m) => values(m, 'name'))).toEqual([
			['Global\\\ufffdlock'],
			['pair \ud83d\ude00 ok'],
		]);
		expect(out.warnings).toContain(
			'mutex.name: replaced an unpaired UTF-16 surrogate with U+FFFD in "Global\\\\\ufffdlock" (MISP refuses such JSON).',
		);
	});

	it('leaves no unpaired surrogate anywhere in the body MISP receives', () => {
		expect(values(named(out.Object, 'url')[0], 'url')).toEqual(['http://x.example/%EF%BF%BD']);
		expect(named(out.Object, 'process')[0].comment).toBe('Analysis reason: reason \ufffd');
		const event = toMispEvent(document).Event;
		expect(event.info).toBe('NSX ATA analysis of http://x.example/\ufffd (score 80)');
		expect(phpDecodable(event)).toBe(true);
		expect(phpDecodable({ value: 'x\ud800' })).toBe(false);
	});

	it('leaves out whole a value over 65,535 bytes, its white space counted', () => {
		const long = toMispResults(report({ mutex_creates: [{ mutex_name: ` ${'m'.repeat(65_535)}` }] }));
		expect(named(long.Object, 'mutex')).toEqual([]);
		expect(long.warnings).toContain(
			`mutex.name: skipped ${JSON.stringify(` ${'m'.repeat(59)}…`)}: longer than 65535 bytes.`,
		);
	});
});

describeWithOfficialMisp('rules 1–5: every output validates against the official templates', (misp) => {
	it('every case above is valid, PHP-decodable and byte-identical when converted twice', () => {
		const documents = [
			report({
				dns_queries: [{ hostname: 'BÜCHER.example.', results: ['192.0.2.1'] }],
				http_conversations: [
					{
						src_ip: '10.0.2.15',
						src_port: 5,
						dst_ip: '192.0.2.1',
						dst_port: 80,
						dst_host: 'BÜCHER.example.',
						url: 'GET /a b?c=ü HTTP/1.1',
					},
				],
				mutex_creates: [{ mutex_name: '\ud800' }],
				file_writes: [{ abs_path: 'C:\\a\nb', ext_info: { sha256: 'f'.repeat(64) } }],
			}),
			report({}, {}, { malicious_activity: [' x ', 5], analysis_subject: { url: 'HTTP://A.ÉXAMPLE./a b' } }),
		];
		for (const document of documents) {
			const first = JSON.stringify(toMispEvent(document));
			expect(JSON.stringify(toMispEvent(document))).toBe(first);
			expect(outputProblems(toMispResults(document), misp)).toEqual([]);
		}
	});
});
