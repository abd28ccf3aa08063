/** Section-level behaviour on small hand-made reports: edge cases, options and output shapes. */
import {
	buildMispModel,
	toMispEvent,
	toMispResults,
	toModuleResults,
	workflowStateTag,
	type MispObject,
} from '../../../nodes/shared/misp/converter';
import { parseRequestLine } from '../../../nodes/shared/misp/converter/httpConversations';
import { isLocalName } from '../../../nodes/shared/misp/converter/dns';
import { normaliseHost } from '../../../nodes/shared/misp/converter/urls';
import { countBy, outputProblems } from './outputChecks';

const TASK = '0123456789abcdef0010aaaaaaaaaaaa';
const doc = (subject: object, extra: object = {}) => ({
	task_uuid: TASK,
	score: 55,
	submission: '2024-05-01 10:00:00',
	analysis_subject: { sha256: 'a'.repeat(64) },
	report: {
		analysis_subjects: [{ overview: { id: 1 }, process: { process_id: '100' }, ...subject }],
	},
	...extra,
});
const values = (object: MispObject | undefined, relation: string) =>
	(object?.Attribute ?? []).filter((a) => a.object_relation === relation).map((a) => a.value);
const named = (objects: MispObject[], name: string) => objects.filter((o) => o.name === name);

describe('request lines', () => {
	it.each([
		['GET /a HTTP/1.1', { method: 'GET', target: '/a' }],
		['post /gate.php', { method: 'POST', target: '/gate.php' }],
		['GET /a b HTTP/1.0', { method: 'GET', target: '/a b' }],
		['/only/path', { target: '/only/path' }],
		['CONNECT host.example:443 HTTP/1.1', { method: 'CONNECT', target: 'host.example:443' }],
		['', {}],
		['garbage', {}],
		['YEET /x HTTP/1.1', {}],
	])('%j', (line, expected) => {
		expect(parseRequestLine(line)).toEqual(expected);
	});

	it('builds url/uri, scheme by port, IPv6 authorities, and keeps request lines without version', () => {
		const out = toMispResults(
			doc({
				http_conversations: [
					{
						src_ip: '10.0.2.15',
						src_port: 1,
						dst_ip: '2001:db8::5',
						dst_port: 443,
						dst_host: '2001:db8::5',
						url: 'GET /v6',
					},
					{
						src_ip: '10.0.2.15',
						src_port: 2,
						dst_ip: '192.0.2.9',
						dst_port: 80,
						dst_host: 'user.lastline.com.evil.example',
						url: 'POST /x?q="1" HTTP/1.1',
					},
					{
						src_ip: '10.0.2.15',
						src_port: 3,
						dst_ip: '192.0.2.9',
						dst_port: 80,
						dst_host: 'h.example',
						url: 'GET http://other.example/abs HTTP/1.1',
					},
					{
						src_ip: '10.0.2.15',
						src_port: 4,
						dst_ip: '192.0.2.9',
						dst_port: 80,
						dst_host: 'h.example',
						url: '   ',
					},
				],
			}),
		);
		const requests = named(out.Object, 'http-request');
		expect(requests.map((r) => values(r, 'url')[0])).toEqual([
			'https://[2001:db8::5]/v6',
			'http://user.lastline.com.evil.example/x?q="1"',
			'http://other.example/abs',
		]);
		expect(values(requests[0], 'method')).toEqual(['GET']);
		expect(values(requests[1], 'host')).toEqual(['user.lastline.com.evil.example']);
		const v6 = named(out.Object, 'network-connection')[0];
		expect(values(v6, 'layer3-protocol')).toEqual(['IPv6']);
		expect(values(v6, 'hostname-dst')).toEqual([]);
		expect(out.warnings).toEqual([
			'http_conversations: skipped a conversation without a usable request line.',
		]);
		expect(outputProblems(out)).toEqual([]);
	});
});

describe('DNS filtering', () => {
	it.each([
		['WPAD', undefined],
		['wpad.corp.example', undefined],
		['localhost', undefined],
		['WKS-FIN-07', undefined],
		['192.0.2.1', undefined],
		['[2001:db8::1]', undefined],
		['1.0.0.10.in-addr.arpa.', undefined],
		['Example.COM..', 'example.com'],
		['user.lastline.com.evil.example', 'user.lastline.com.evil.example'],
	])('%s → %s', (raw, expected) => {
		expect(isLocalName(raw) ? undefined : normaliseHost(raw)).toBe(expected);
	});

	it('merges answers of repeated names and skips bad answers with a warning', () => {
		const out = toMispResults(
			doc({
				dns_queries: [
					{ hostname: 'A.example.com', results: ['192.0.2.1'] },
					{
						hostname: 'a.example.com.',
						results: ['192.0.2.1', '2001:0db8::0001', 'not-an-ip', null],
					},
					{ hostname: 'bad"name.example.com', results: [] },
				],
			}),
		);
		const domains = named(out.Object, 'domain-ip');
		expect(domains).toHaveLength(1);
		expect(values(domains[0], 'ip')).toEqual(['192.0.2.1', '2001:db8::1']);
		expect(out.warnings).toHaveLength(2);
		expect(outputProblems(out)).toEqual([]);
	});
});

describe('ATT&CK tags', () => {
	const withTechniques = (techniques: unknown[]) =>
		toMispResults(doc({}, { activity_to_mitre_techniques: { 'Some: activity': techniques } }));

	it('uses "<Name> - <ID>", dedupes, sorts by id and includes sub-techniques', () => {
		const out = withTechniques([
			{ id: 'T1055.012', name: 'Process Hollowing' },
			{ id: 'T1055', name: 'Process Injection' },
			{ id: 'T1055', name: 'Process Injection' },
		]);
		expect(out.Tag.map((t) => t.name)).toEqual([
			'misp-galaxy:mitre-attack-pattern="Process Injection - T1055"',
			'misp-galaxy:mitre-attack-pattern="Process Hollowing - T1055.012"',
		]);
	});

	it('never emits a malformed tag: bad ids are warnings, report names never reach a tag', () => {
		const out = withTechniques([
			{ id: 'T1055"', name: 'X' },
			{ id: 'TA0002', name: 'Execution' },
			{ id: 'T1059', name: 'Evil" - T1"' },
			{ id: 'T1027', name: 'Obfus\u202Ecated\nFiles\u0000' },
			{ id: 'T1112', name: null },
			{ id: 'T1113', name: 'x'.repeat(100_000) },
			'not an object',
		]);
		expect(out.Tag.map((t) => t.name)).toEqual([
			'misp-galaxy:mitre-attack-pattern="Obfuscated Files or Information - T1027"',
			'misp-galaxy:mitre-attack-pattern="Command and Scripting Interpreter - T1059"',
			'misp-galaxy:mitre-attack-pattern="Modify Registry - T1112"',
			'misp-galaxy:mitre-attack-pattern="Screen Capture - T1113"',
		]);
		expect(out.warnings).toHaveLength(3);
		expect(outputProblems(out)).toEqual([]);
	});
});

describe('options', () => {
	it('decides the sandbox type from `hosted`, not from the link text', () => {
		const link = 'https://user.lastline.com.evil.example/portal#/analyst/task/x/overview';
		const onPrem = toMispResults(doc({}), { hosted: false, analysisLink: link });
		const report = named(onPrem.Object, 'sandbox-report')[0];
		expect(values(report, 'sandbox-type')).toEqual(['on-premise']);
		expect(values(report, 'on-premise-sandbox')).toEqual(['vmware-nsx-ata']);
		expect(values(report, 'permalink')).toEqual([link]);
		expect(
			values(named(toMispResults(doc({})).Object, 'sandbox-report')[0], 'sandbox-type'),
		).toEqual(['saas']);
	});

	it('rejects an analysis link that is not an absolute URL', () => {
		const out = toMispResults(doc({}), { analysisLink: 'javascript alert(1)' });
		expect(out.Attribute).toEqual([]);
		expect(out.warnings[0]).toContain('analysis link');
	});

	it('adds a verdict tag only when thresholds are given', () => {
		expect(toMispResults(doc({})).Tag).toEqual([]);
		const tag = (maliciousAt: number, suspiciousAt?: number) =>
			toMispResults(doc({}), { verdict: { maliciousAt, suspiciousAt } }).Tag.map((t) => t.name);
		expect(tag(50)).toEqual(['ata:verdict="malicious"']);
		expect(tag(70, 30)).toEqual(['ata:verdict="suspicious"']);
		expect(tag(70, 60)).toEqual(['ata:verdict="benign"']);
	});

	it('caps each type and says what was left out', () => {
		const writes = Array.from({ length: 50 }, (_, i) => ({
			key: `HKCU\\K${i}`,
			value: 'v',
			data: String(i),
		}));
		const reads = Array.from({ length: 9000 }, (_, i) => ({ key: `HKLM\\R${i}`, value: 'v' }));
		const report = doc({ registry_writes: writes, registry_reads: reads });
		expect(named(toMispResults(report).Object, 'registry-key')).toHaveLength(50);
		const capped = toMispResults(report, {
			includeRegistryReads: true,
			limits: { registryKeys: 60 },
		});
		expect(named(capped.Object, 'registry-key')).toHaveLength(60);
		expect(capped.warnings).toEqual([
			'Limit registryKeys=60 reached: 8990 further entries were left out.',
		]);
	});

	it('bounds the warnings list', () => {
		const bad = Array.from({ length: 1000 }, () => ({ protocol: 'TCP', dst_ip: 'x' }));
		const out = toMispResults(doc({ network_connections: bad }), { limits: { warnings: 10 } });
		expect(out.warnings).toHaveLength(11);
		expect(out.warnings[10]).toBe('990 further warnings were suppressed (limit warnings).');
	});
});

describe('robustness on specific hostile shapes', () => {
	it.each([
		['null', null],
		['a string', 'hello'],
		['an array', [1, 2]],
		['an empty object', {}],
		['a pending task', { task_uuid: TASK, submission_timestamp: '2024-05-01 10:00:00' }],
		[
			'report of wrong types',
			{ task_uuid: 5, score: '90', report: { analysis_subjects: 'x' }, child_tasks: {} },
		],
	])('%s: no exception, valid output', (_name, input) => {
		const out = toMispResults(input);
		expect(outputProblems(out)).toEqual([]);
		expect(Array.isArray(out.warnings)).toBe(true);
	});

	it('keeps 100k-character strings verbatim where MISP allows them and skips the rest', () => {
		const long = `C:\\${'x'.repeat(100_000)}`;
		const out = toMispResults(
			doc({
				mutex_creates: [{ mutex_name: 'M\u202Eevil"' }, { mutex_name: 'y'.repeat(70_000) }],
				process: { process_id: '1', arguments: long },
			}),
		);
		expect(values(named(out.Object, 'mutex')[0], 'name')).toEqual(['M\u202Eevil"']);
		expect(named(out.Object, 'mutex')).toHaveLength(1);
		expect(values(named(out.Object, 'process')[0], 'command-line')).toEqual([]);
		expect(out.warnings.some((w) => w.includes('65535 bytes'))).toBe(true);
		expect(outputProblems(out)).toEqual([]);
	});

	it('survives getters that throw', () => {
		const hostile = doc({});
		Object.defineProperty(hostile.report.analysis_subjects[0], 'mutex_creates', {
			enumerable: true,
			get() {
				throw new Error('boom');
			},
		});
		const out = toMispResults(hostile);
		expect(out.warnings).toContain('Section mutexes failed and was skipped: boom.');
		expect(named(out.Object, 'process')).toHaveLength(1);
	});
});

describe('output shapes', () => {
	const report = doc({}, { malicious_activity: ['Signature: x'] });
	const link = `https://user.lastline.com/portal#/analyst/task/${TASK}/overview`;

	it('event: header from the report, deterministic uuid, everything in one body', () => {
		const { Event, warnings } = toMispEvent(report, { analysisLink: link });
		expect(Event).toMatchObject({
			info: `NSX ATA analysis of ${'a'.repeat(64)} (score 55)`,
			date: '2024-05-01',
			threat_level_id: '2',
			analysis: '2',
			published: false,
		});
		expect(Event.distribution).toBeUndefined();
		expect(Event.uuid).toBe(toMispEvent(report).Event.uuid);
		expect(Event.Attribute[0].Tag).toEqual([{ name: 'workflow:state="complete"' }]);
		expect(countBy(Event.Object, (o) => o.name)).toEqual({
			file: 1,
			'sandbox-report': 1,
			'sb-signature': 1,
			process: 1,
		});
		expect(warnings).toEqual([]);
		const custom = toMispEvent(report, {
			info: 'Custom',
			distribution: 1,
			threatLevelId: 3,
			analysis: 0,
			date: '2020-01-02',
		}).Event;
		expect(custom).toMatchObject({
			info: 'Custom',
			distribution: '1',
			threat_level_id: '3',
			analysis: '0',
			date: '2020-01-02',
		});
	});

	it('incomplete reports are tagged incomplete and have no score', () => {
		const pending = { task_uuid: TASK, analysis_subject: { url: 'http://a.example/' } };
		const { Event } = toMispEvent(pending, { analysisLink: link });
		expect(Event.info).toBe('NSX ATA analysis of http://a.example/ (no score yet)');
		expect(Event.threat_level_id).toBe('4');
		expect(Event.Attribute[0].Tag).toEqual([{ name: workflowStateTag('incomplete') }]);
		expect(workflowStateTag('complete')).toBe('workflow:state="complete"');
	});

	it('module results and query results carry the same model', () => {
		const model = buildMispModel(report, { analysisLink: link });
		const module = toModuleResults(report, { analysisLink: link }).results;
		const results = toMispResults(report, { analysisLink: link });
		expect(module.Object).toEqual(model.objects);
		expect(results.Object).toEqual(model.objects);
		expect(module.Attribute).toEqual(results.Attribute);
		expect(toMispResults(report, { analysisLink: link, linkAttribute: false }).Attribute).toEqual(
			[],
		);
		expect(toMispResults({ success: 1, data: report })).toEqual(toMispResults(report));
	});

	it('different tasks give different uuids', () => {
		const a = toMispResults(report).Object.map((o) => o.uuid);
		const b = toMispResults({
			...report,
			task_uuid: 'ffffffffffffffff0010aaaaaaaaaaaa',
		}).Object.map((o) => o.uuid);
		expect(a.filter((u) => b.includes(u))).toEqual([]);
	});
});
