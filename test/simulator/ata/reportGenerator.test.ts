import { generateResultDocument, type ResultDocument } from '../../../simulator/ata';

/* eslint-disable @typescript-eslint/no-explicit-any -- the document is walked structurally */
const subjectsOf = (document: ResultDocument): any[] => (document.report as any).analysis_subjects;
const all = (document: ResultDocument, section: string): any[] =>
	subjectsOf(document).flatMap((subject) => subject[section] ?? []);
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

describe('report generator', () => {
	it('is deterministic per seed and differs across seeds', () => {
		const options = { kind: 'file' as const, seed: 11, targetBytes: 80_000 };
		expect(JSON.stringify(generateResultDocument(options))).toBe(
			JSON.stringify(generateResultDocument(options)),
		);
		expect(JSON.stringify(generateResultDocument({ ...options, seed: 12 }))).not.toBe(
			JSON.stringify(generateResultDocument(options)),
		);
		const url = { kind: 'url' as const, seed: 11, targetBytes: 30_000 };
		expect(JSON.stringify(generateResultDocument(url))).toBe(
			JSON.stringify(generateResultDocument(url)),
		);
	});

	it.each([
		['file', 50_000],
		['file', 2_000_000],
		['url', 20_000],
		['url', 1_500_000],
	] as const)('roughly respects the target size (%s, %d bytes)', (kind, targetBytes) => {
		const size = Buffer.byteLength(
			JSON.stringify(generateResultDocument({ kind, seed: 5, targetBytes })),
		);
		expect(size).toBeGreaterThanOrEqual(targetBytes * 0.98);
		expect(size).toBeLessThanOrEqual(targetBytes * 1.02 + 2_000);
	});

	it('file analyses carry the full ll-int-win feature set consumers must handle', () => {
		const document = generateResultDocument({
			kind: 'file',
			seed: 21,
			targetBytes: 200_000,
			score: 100,
			taskUuid: 'abcdefabcdef0010abcdefabcdefabcd',
			subject: {
				md5: 'a'.repeat(32),
				sha1: 'b'.repeat(40),
				sha256: 'c'.repeat(64),
				mime_type: 'application/msword',
			},
		});
		expect(document).toMatchObject({
			task_uuid: 'abcdefabcdef0010abcdefabcdefabcd',
			score: 100,
			analysis_subject: { sha256: 'c'.repeat(64), mime_type: 'application/msword' },
		});
		for (const field of ['submission', 'last_submission_timestamp', 'expires'])
			expect(document[field]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
		const report = document.report as any;
		expect(report.format.name).toBe('ll-int-win');
		expect(report.uuid).toBe((document.reports as any[])[0].report_uuid);

		const subjects = subjectsOf(document);
		const ids = new Set(subjects.map((subject) => subject.overview.id));
		expect(subjects[0].overview.parent_id).toBeUndefined();
		for (const subject of subjects.slice(1)) expect(ids.has(subject.overview.parent_id)).toBe(true);
		for (const subject of subjects) expect(subject.process.process_id).toMatch(/^\d+$/);

		const hostnames = all(document, 'dns_queries').map((query) => query.hostname);
		expect(hostnames).toEqual(
			expect.arrayContaining([
				'wpad',
				'localhost',
				'WKS-FIN-07',
				'192.0.2.7',
				'7.2.0.192.in-addr.arpa.',
				'smtp.mailrelay.example.com.',
			]),
		);
		expect(new Set(hostnames).size).toBeLessThan(hostnames.length); // duplicates exist
		const conversations = all(document, 'http_conversations');
		for (const conversation of conversations)
			expect(conversation.url).toMatch(/^(GET|POST) \/\S* HTTP\/1\.1$/);
		expect(new Set(conversations.map((conversation) => conversation.url.split(' ')[0]))).toEqual(
			new Set(['GET', 'POST']),
		);
		const connections = all(document, 'network_connections');
		expect(connections.some((connection) => connection.dst_ip.includes(':'))).toBe(true);
		expect(connections.some((connection) => IPV4.test(connection.dst_ip))).toBe(true);
		const hashedWrites = all(document, 'file_writes').filter((write) => write.ext_info);
		expect(hashedWrites.length).toBeGreaterThan(0);
		expect(all(document, 'file_writes').some((write) => !write.ext_info)).toBe(true);
		const generated = report.analysis_metadata.filter(
			(entry: any) => entry.metadata_type === 'generated_file',
		);
		expect(generated.map((entry: any) => entry.file.ext_info.sha256).sort()).toEqual(
			hashedWrites.map((write) => write.ext_info.sha256).sort(),
		);
		for (const section of [
			'registry_reads',
			'registry_writes',
			'registry_deletions',
			'mutex_creates',
			'mutex_opens',
		])
			expect(all(document, section).length).toBeGreaterThan(0);
		expect(all(document, 'registry_deletions')[0].data).toBeUndefined();

		const activities = document.malicious_activity as string[];
		for (const activity of activities) expect(activity).toMatch(/^[A-Za-z]+: \S/);
		const mitre = document.activity_to_mitre_techniques as Record<string, any[]>;
		const unlisted = Object.keys(mitre).filter((activity) => !activities.includes(activity));
		expect(unlisted).toEqual(['Search: Retrieving the computer name']);
		for (const techniques of Object.values(mitre))
			for (const technique of techniques)
				expect(technique).toMatchObject({
					id: expect.stringMatching(/^T\d{4}(\.\d{3})?$/),
					name: expect.any(String),
					tactics: expect.any(Array),
				});
		for (const child of document.child_tasks as any[])
			expect(child.task_uuid).toMatch(/^[0-9a-f]{12}0010[0-9a-f]{16}$/);
	});

	it('URL analyses carry ll-web requests, including entries with empty url or ip', () => {
		const document = generateResultDocument({
			kind: 'url',
			seed: 8,
			targetBytes: 50_000,
			subject: { url: 'http://phish.example.com/login' },
		});
		expect(document.analysis_subject).toEqual({ url: 'http://phish.example.com/login' });
		const report = document.report as any;
		expect(report.format.name).toBe('ll-web');
		const requests: any[] = report.analysis.network.requests;
		expect(requests[0]).toMatchObject({
			url: 'http://phish.example.com/login',
			parent_url: 'USER_URL',
		});
		expect(requests.some((request) => request.url === '' && request.ip === '')).toBe(true);
		expect(requests.some((request) => request.url === '' && request.ip === null)).toBe(true);
		expect(requests.some((request) => request.url !== '' && request.ip === '')).toBe(true);
		expect(requests.length).toBeGreaterThan(50);
	});

	it('keeps scores within 0–100 and sizes the skeleton when the target is tiny', () => {
		for (let seed = 0; seed < 20; seed++) {
			const document = generateResultDocument({
				kind: seed % 2 ? 'url' : 'file',
				seed,
				targetBytes: 1,
			});
			expect(Number.isInteger(document.score)).toBe(true);
			expect(document.score as number).toBeGreaterThanOrEqual(0);
			expect(document.score as number).toBeLessThanOrEqual(100);
		}
	});
});
