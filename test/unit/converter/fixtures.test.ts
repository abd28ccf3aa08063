/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * The converter on the two complete result fixtures. Every expected number below was derived
 * by reading the fixture by hand; the comment next to it says how.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toMispEvent, toMispResults, type MispObject } from '../../../nodes/shared/misp/converter';
import { describeWithOfficialMisp } from '../../support/officialMisp';
import { countBy, loadFixture, outputProblems } from './outputChecks';

const FILE_TASK = '3f2c9a7d41b800101a7e5c2d9b04e6f1';
const FILE_LINK = `https://user.lastline.com/portal#/analyst/task/${FILE_TASK}/overview`;
const URL_LINK =
	'https://user.lastline.com/portal#/analyst/task/b71e04c2a95d0010237f8e61c4d0a9b3/overview';

const fileResult = loadFixture('get-result-file-complete.json');
const urlResult = loadFixture('get-result-url-complete.json');
const analysisTags = loadFixture('get-analysis-tags.json');

const fileOut = toMispResults(fileResult, { analysisLink: FILE_LINK, analysisTags });
const urlOut = toMispResults(urlResult, { analysisLink: URL_LINK });

const values = (object: MispObject | undefined, relation: string) =>
	(object?.Attribute ?? []).filter((a) => a.object_relation === relation).map((a) => a.value);
const find = (objects: MispObject[], name: string, relation: string, value: string) =>
	objects.find((o) => o.name === name && values(o, relation).includes(value));

describe('file fixture (get-result-file-complete.json)', () => {
	it('yields the hand-derived number of objects per template', () => {
		expect(countBy(fileOut.Object, (o) => o.name)).toEqual({
			// 1 analysed document + 8 distinct written files with ext_info hashes (file_writes:
			// ~$Normal.dotm; wuauhlp.exe, inv.ps1, __PSScriptPolicyTest; config.dat, mod_grab.dll,
			// mod_mail.dll; tmp8F21.tmp). The 7 generated_file entries repeat 7 of those sha256s,
			// the 5 writes without ext_info are skipped.
			file: 9,
			// The task itself + 3 child_tasks.
			'sandbox-report': 4,
			// 14 malicious_activity entries, all in one object.
			'sb-signature': 1,
			// 6 analysis_subjects.
			process: 6,
			// 24 queries − wpad, WKS-FIN-07 (NetBIOS), 203.0.113.77 (IP literal),
			// 7.2.0.192.in-addr.arpa. (reverse), localhost = 19 names, of which
			// cdn.invoice-portal, gate.update-check and api.ipify repeat → 16 distinct;
			// "smtp.mailrelay.example.com." is kept without its trailing dot.
			'domain-ip': 16,
			// 16 HTTP conversations (one flow each) + 25 network_connections, of which 16 are the
			// same TCP flows as the conversations (same 5-tuple) → 16 + 9 (4 UDP to the resolver,
			// 443 to officecdn, 123, 4444, 25, 587).
			'network-connection': 25,
			// 16 conversations; POST /gate.php to 203.0.113.51 occurs 4 times → 13 distinct
			// (method, URL, destination) requests.
			'http-request': 13,
			// 20 registry_writes + 4 registry_deletions; the 17 reads are off by default.
			'registry-key': 24,
			// 5 mutex_creates + 2 mutex_opens, Global\MsUpd_7d1f3c92 both created and opened → 6.
			mutex: 6,
		});
	});

	it('links the objects with the hand-derived references', () => {
		const references = fileOut.Object.flatMap((o) =>
			(o.ObjectReference ?? []).map((r) => `${o.name} ${r.relationship_type}`),
		);
		expect(countBy(references, (r) => r)).toEqual({
			'file analysed-with': 1, // document → task report
			'sb-signature part-of': 1,
			'sandbox-report derived-from': 3, // child tasks → task report
			'process child-of': 5, // every subject but WINWORD has a parent_id
			'process writes': 28, // 8 hashed file writes + 20 registry writes
			'process drops': 7, // generated_file entries (subjects 3, 3, 3, 4, 4, 4, 5)
			'process deletes': 4,
			'process creates': 5,
			'process opens': 2,
			'process connects-to': 25, // each of the 25 flows from the process that made it
			'network-connection contains': 16, // each conversation's flow → its request
			'process related-to': 18, // DNS: distinct kept names per process 1 + 3 + 8 + 6
		});
	});

	it('fills the process tree from overview ids', () => {
		const cmd = find(fileOut.Object, 'process', 'pid', '3120');
		expect(values(cmd, 'parent-pid')).toEqual(['2304']);
		expect(values(cmd, 'name')).toEqual(['cmd.exe']);
		expect(values(cmd, 'image')).toEqual(['C:\\Windows\\System32\\cmd.exe']);
		const loader = find(fileOut.Object, 'process', 'pid', '1876');
		expect(values(loader, 'child-pid')).toEqual(['1412', '2960']);
		expect(
			loader?.ObjectReference?.find((r) => r.relationship_type === 'child-of')?.referenced_uuid,
		).toBe(find(fileOut.Object, 'process', 'pid', '3388')?.uuid);
		expect(values(find(fileOut.Object, 'process', 'pid', '2304'), 'parent-pid')).toEqual([]);
		expect(find(fileOut.Object, 'process', 'pid', '1412')?.comment).toBe(
			'Analysis reason: Code injection',
		);
	});

	it('maps DNS answers, HTTP request lines, schemes and ports', () => {
		expect(
			values(find(fileOut.Object, 'domain-ip', 'hostname', 'gate.update-check.example.net'), 'ip'),
		).toEqual(['203.0.113.51', '203.0.113.52']);
		expect(
			find(fileOut.Object, 'domain-ip', 'hostname', 'smtp.mailrelay.example.com'),
		).toBeDefined();
		for (const dropped of [
			'wpad',
			'localhost',
			'wks-fin-07',
			'203.0.113.77',
			'7.2.0.192.in-addr.arpa',
		]) {
			expect(find(fileOut.Object, 'domain-ip', 'hostname', dropped)).toBeUndefined();
		}
		const beacon = find(
			fileOut.Object,
			'http-request',
			'url',
			'https://gate.update-check.example.net:8443/api/v2/beacon?id=WKS-FIN-07',
		);
		expect(values(beacon, 'method')).toEqual(['POST']);
		expect(values(beacon, 'ip-dst')).toEqual(['203.0.113.52']);
		expect(values(beacon, 'uri')).toEqual(['/api/v2/beacon?id=WKS-FIN-07']);
		expect(
			find(
				fileOut.Object,
				'http-request',
				'url',
				'http://raw.paste-bin.example.org:8080/raw/Zk4pQ1',
			),
		).toBeDefined();
		expect(
			values(
				find(fileOut.Object, 'http-request', 'url', 'http://tnvbcxyrqe.example.biz/cfg.bin'),
				'method',
			),
		).toEqual(['GET']);
		expect(
			fileOut.Object.some((o) =>
				o.Attribute.some((a) => a.object_relation === 'ip' && o.name === 'http-request'),
			),
		).toBe(false);
		const smtp = find(fileOut.Object, 'network-connection', 'dst-port', '587');
		expect(values(smtp, 'layer4-protocol')).toEqual(['TCP']);
		expect(values(smtp, 'ip-src')).toEqual(['10.0.2.15']);
		expect(smtp?.Attribute.find((a) => a.object_relation === 'ip-src')?.to_ids).toBe(false);
		expect(smtp?.Attribute.find((a) => a.object_relation === 'ip-dst')?.to_ids).toBe(true);
	});

	it('dedupes dropped files by sha256 and links writer and dropper', () => {
		const loader = find(
			fileOut.Object,
			'file',
			'sha256',
			'c18eebbf8ea7b461ba151abafb0353f1761bd9b5d26a34995638734400a3a21c',
		);
		expect(values(loader, 'filename')).toEqual(['wuauhlp.exe']);
		expect(values(loader, 'size-in-bytes')).toEqual(['241664']);
		const powershell = find(fileOut.Object, 'process', 'pid', '3388');
		const towardsLoader = powershell?.ObjectReference?.filter(
			(r) => r.referenced_uuid === loader?.uuid,
		).map((r) => r.relationship_type);
		expect(towardsLoader).toEqual(['writes', 'drops']);
		const subject = fileOut.Object[0];
		expect(subject.name).toBe('file');
		expect(values(subject, 'mimetype')).toEqual(['application/msword']);
		expect(values(subject, 'sha256')).toEqual([
			'7dc05efc9d1ce1ae43166de028add06de00beca39c9b9be2a6c55d491f228fed',
		]);
	});

	it('emits registry keys with name and data, deletions with a comment', () => {
		const run = find(fileOut.Object, 'registry-key', 'name', 'MsUpdate Helper');
		expect(values(run, 'key')).toEqual(['HKCU\\SOFTWARE\\MICROSOFT\\WINDOWS\\CURRENTVERSION\\RUN']);
		expect(values(run, 'data')).toEqual([
			'C:\\Users\\Walter\\AppData\\Roaming\\MsUpdate\\wuauhlp.exe --silent',
		]);
		expect(find(fileOut.Object, 'registry-key', 'name', 'SecurityHealth')?.comment).toBe(
			'Deleted during analysis',
		);
		// "Load" is written with empty data: key and name only.
		expect(values(find(fileOut.Object, 'registry-key', 'name', 'Load'), 'data')).toEqual([]);
	});

	it('describes the task in sandbox-report and sb-signature', () => {
		const report = fileOut.Object.find((o) => o.name === 'sandbox-report');
		expect(values(report, 'sandbox-type')).toEqual(['saas']);
		expect(values(report, 'saas-sandbox')).toEqual(['vmware-nsx-ata']);
		expect(values(report, 'score')).toEqual(['100']);
		expect(values(report, 'permalink')).toEqual([FILE_LINK]);
		expect(
			values(
				fileOut.Object.find((o) => o.name === 'sb-signature'),
				'signature',
			),
		).toHaveLength(14);
		const child = find(fileOut.Object, 'sandbox-report', 'score', '70');
		expect(values(child, 'permalink')).toEqual([
			FILE_LINK.replace(FILE_TASK, 'd35f18a9b26c0010244e7a0c91b5f3d2'),
		]);
	});

	it('tags ATT&CK (all 16 techniques of the 13 mapped activities) and AV labels', () => {
		const names = fileOut.Tag.map((t) => t.name);
		// 13 activities map to 16 techniques, none repeated; T1082 belongs to an activity that is
		// not in malicious_activity and is still included.
		expect(names.filter((n) => n.startsWith('misp-galaxy:mitre-attack-pattern='))).toHaveLength(16);
		expect(names).toContain(
			'misp-galaxy:mitre-attack-pattern="System Information Discovery - T1082"',
		);
		expect(names).toContain(
			'misp-galaxy:mitre-attack-pattern="Registry Run Keys / Startup Folder - T1547.001"',
		);
		// get-analysis-tags.json: av_family, av_class, lastline_malware; the two activity tags are ignored.
		expect(names.slice(16)).toEqual(['av-fam:synthloader', 'av-cls:trojan', 'nsx:synthloader']);
		expect(fileOut.Attribute).toEqual([
			expect.objectContaining({
				type: 'link',
				category: 'External analysis',
				value: FILE_LINK,
				to_ids: false,
				Tag: [{ name: 'workflow:state="complete"' }],
			}),
		]);
		expect(fileOut.warnings).toEqual([]);
	});
});

describe('URL fixture (get-result-url-complete.json)', () => {
	it('yields the hand-derived number of objects per template', () => {
		expect(countBy(urlOut.Object, (o) => o.name)).toEqual({
			url: 1, // analysis_subject.url
			'sandbox-report': 2, // the task + 1 child task (network traffic analysis)
			'sb-signature': 1, // 3 malicious activities
			// 18 requests: 2 have neither url nor ip (skipped), 1 has only an ip (→ network-connection),
			// 15 have a URL, of which the two p.gif requests are identical (URL and ip) → 14.
			'http-request': 14,
			'network-connection': 1,
		});
		expect(
			values(
				urlOut.Object.find((o) => o.name === 'sb-signature'),
				'signature',
			),
		).toHaveLength(3);
		expect(values(urlOut.Object[0], 'host')).toEqual(['login.webmail-verify.example.com']);
		const font = find(
			urlOut.Object,
			'http-request',
			'url',
			'https://fonts.gstatic-mirror.example.net/s/opensans/v34/mem8YaGs126MiZpBA-UFVZ0b.woff2',
		);
		expect(values(font, 'ip-dst')).toEqual([]);
		expect(
			values(
				find(urlOut.Object, 'network-connection', 'ip-dst', '203.0.113.141'),
				'layer7-protocol',
			),
		).toEqual(['HTTP']);
	});

	it('tags the 2 ATT&CK techniques and nothing else without analysis tags', () => {
		expect(urlOut.Tag.map((t) => t.name)).toEqual([
			'misp-galaxy:mitre-attack-pattern="Web Portal Capture - T1056.003"',
			'misp-galaxy:mitre-attack-pattern="Spearphishing Link - T1566.002"',
		]);
		expect(urlOut.warnings).toEqual([]);
	});
});

describe('validity and idempotence on both fixtures', () => {
	it.each([
		['file', fileResult, FILE_LINK],
		['url', urlResult, URL_LINK],
	])('%s: every output is valid against the project knowledge', (_name, result, link) => {
		expect(
			outputProblems(
				toMispResults(result, { analysisLink: link, analysisTags, includeRegistryReads: true }),
			),
		).toEqual([]);
		expect(outputProblems(toMispEvent(result, { analysisLink: link }).Event)).toEqual([]);
	});

	it.each([
		['file', 'get-result-file-complete.json'],
		['url', 'get-result-url-complete.json'],
	])('%s: same input twice gives byte-identical output, also from a fresh parse', (_name, file) => {
		const first = JSON.stringify(
			toMispEvent(loadFixture(file), { analysisLink: FILE_LINK, analysisTags }),
		);
		const second = JSON.stringify(
			toMispEvent(loadFixture(file), { analysisLink: FILE_LINK, analysisTags }),
		);
		expect(second).toBe(first);
		const envelope = JSON.parse(
			readFileSync(join(__dirname, '..', '..', '..', 'simulator', 'ata', 'fixtures', file), 'utf8'),
		);
		expect(
			JSON.stringify(toMispEvent(envelope.data, { analysisLink: FILE_LINK, analysisTags })),
		).toBe(first);
	});

	it('includes the 17 registry reads only when asked', () => {
		const withReads = toMispResults(fileResult, { includeRegistryReads: true });
		expect(countBy(withReads.Object, (o) => o.name)['registry-key']).toBe(24 + 17);
	});
});

describeWithOfficialMisp('fixture outputs against the official MISP files', (misp) => {
	it.each([
		['file', fileResult, FILE_LINK],
		['url', urlResult, URL_LINK],
	])(
		'%s: every object conforms to the official template and describeTypes',
		(_name, result, link) => {
			const out = toMispResults(result, {
				analysisLink: link,
				analysisTags,
				includeRegistryReads: true,
			});
			expect(outputProblems(out, misp)).toEqual([]);
		},
	);

	it('every ATT&CK tag of the fixtures is the galaxy cluster tag of its id', () => {
		const index = JSON.parse(
			readFileSync(join(misp.dir, '_meta', 'galaxy', 'mitre-attack-pattern-index.json'), 'utf8'),
		);
		const tags = [...fileOut.Tag, ...urlOut.Tag]
			.map((t) => t.name)
			.filter((n) => n.startsWith('misp-galaxy:'));
		expect(tags).toHaveLength(18);
		for (const tag of tags) {
			const id = /- (T[\d.]+)"$/.exec(tag)?.[1] ?? '';
			expect([id, index.techniques[id]?.tag]).toEqual([id, tag]);
		}
	});
});
