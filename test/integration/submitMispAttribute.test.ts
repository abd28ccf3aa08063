/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * Submit from MISP Attribute inside n8n's real execution engine against the ATA simulator: MISP's
 * malware-sample ZIPs (made by Info-ZIP zip -P, see test/fixtures/zip), attachments, URLs, and every
 * bad input as an item error that submits nothing, and Wait for Completion (the simulator finishes
 * analyses on its clock: `completeAfterMs` says when).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { uuidV5 } from '../../nodes/shared/misp/uuid';
import type { AtaSimulator } from '../../simulator/ata';
import { expectNoCredentialsInUrls, startSimulator } from '../support/ataClients';
import { ataCredentials, nodeOutput, runNsxAta } from '../support/nodeRuns';
import { withMethod } from '../support/zipFixtures';

const WORKFLOW = 'nsx-ata-submit-misp-attribute.json';
const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/zip', name));
const SAMPLE = fixture('sample.bin');
const SAMPLE_MD5 = createHash('md5').update(SAMPLE).digest('hex');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

let sim: AtaSimulator;
let nextId = 100;

/** An attribute as attributes/restSearch with withAttachments returns it. */
function attribute(type: string, value: string, extra: IDataObject = {}): IDataObject {
	const id = String(nextId++);
	return {
		id,
		event_id: '7',
		object_id: '0',
		category: type === 'url' ? 'Network activity' : 'Payload delivery',
		type,
		value,
		uuid: uuidV5(`attribute ${id}`),
		to_ids: true,
		Tag: [{ id: '3', name: 'ata:submit' }],
		...extra,
	};
}

const sample = (zip: Buffer = fixture('misp-sample.zip'), value = `invoice 2026.exe|${SAMPLE_MD5}`) =>
	attribute('malware-sample', value, { data: zip.toString('base64') });

const routeCount = (route: string) => sim.requests.filter((request) => request.route === route).length;
const submissionsAndLookUps = () =>
	sim.requests.filter((request) => /submit|query\/file_hash/.test(request.route ?? '')).length;

beforeAll(async () => {
	// Never completes within a test: completion is not what these tests are about.
	sim = await startSimulator({ completeAfterMs: 3_600_000 });
});
afterEach(() => {
	expectNoCredentialsInUrls(sim);
	sim.reset();
});
afterAll(async () => await sim.close());

describe('Submit from MISP Attribute', () => {
	it('unpacks a malware-sample and submits it under its original name; the link goes to the same event', async () => {
		const input = sample();
		const result = await runNsxAta(sim, WORKFLOW, { items: [{ json: input }] });
		expect(result.status).toBe('success');
		const [item] = nodeOutput(result);
		const [upload] = sim.requests.filter((request) => request.route === 'analysis/submit/file');
		expect(upload.files[0]).toMatchObject({ size: SAMPLE.length, sha256: sha256(SAMPLE) });
		expect(upload.fields.filename).toBe('invoice 2026.exe');
		expect(item).toMatchObject({
			event_id: '7',
			sourceAttribute: { id: input.id, uuid: input.uuid, type: 'malware-sample' },
			submitted: { type: 'file', fileName: 'invoice 2026.exe', sha256: sha256(SAMPLE), reusedExistingAnalysis: false },
			status: 'incomplete',
		});
		expect(item.attribute).toEqual({
			type: 'link',
			category: 'External analysis',
			value: item.analysisLink,
			to_ids: false,
			comment: `NSX ATA analysis of malware-sample attribute ${input.uuid} (invoice 2026.exe)`,
			Tag: [{ name: 'workflow:state="incomplete"' }],
			uuid: uuidV5(`nsx-ata-link:${item.taskUuid}`, input.uuid as string),
		});
		expect(JSON.stringify(item)).not.toContain(input.data);

		// A repeat gets ATA's same analysis and so the same link UUID: MISP refuses a second copy.
		const again = nodeOutput(await runNsxAta(sim, WORKFLOW, { items: [{ json: input }] }))[0];
		expect(again.taskUuid).toBe(item.taskUuid);
		expect((again.attribute as IDataObject).uuid).toBe((item.attribute as IDataObject).uuid);
	});

	it('reads stored ZIP entries and falls back to the value\'s file name without a .filename.txt', async () => {
		const result = await runNsxAta(sim, WORKFLOW, { items: [{ json: sample(fixture('misp-sample-stored.zip')) }] });
		expect(nodeOutput(result)[0]).toMatchObject({ submitted: { fileName: 'report.pdf.exe' } });
	});

	it('submits an attachment as it is, from base64 data or from a binary field', async () => {
		const bytes = randomBytes(2048);
		const fromData = attribute('attachment', 'macro.docm', { data: bytes.toString('base64') });
		const other = randomBytes(512);
		const fromBinary: INodeExecutionData = {
			json: attribute('attachment', 'C:\\Users\\x\\report.xls'),
			binary: { data: { data: other.toString('base64'), mimeType: 'application/octet-stream', fileName: 'download' } },
		};
		const result = await runNsxAta(sim, WORKFLOW, { items: [{ json: fromData }, fromBinary] });
		expect(result.status).toBe('success');
		const items = nodeOutput(result);
		expect(items.map((item) => (item.submitted as IDataObject).fileName)).toEqual(['macro.docm', 'report.xls']);
		const uploads = sim.requests.filter((request) => request.route === 'analysis/submit/file');
		expect(uploads.map((request) => request.files[0].sha256).sort()).toEqual([sha256(bytes), sha256(other)].sort());
	});

	it('submits a url attribute as a URL and reuses a finished analysis as complete', async () => {
		const url = 'https://login.example.net/verify?session=1';
		const result = await runNsxAta(sim, WORKFLOW, { items: [{ json: attribute('url', url) }] });
		const [item] = nodeOutput(result);
		expect(item).toMatchObject({ submitted: { type: 'url', url }, status: 'incomplete' });
		expect(routeCount('analysis/submit/url')).toBe(1);

		const bytes = randomBytes(300);
		const taskUuid = sim.addTask({ kind: 'file', content: bytes, score: 88 });
		const known = attribute('attachment', 'known.exe', { data: bytes.toString('base64') });
		const [reused] = nodeOutput(await runNsxAta(sim, WORKFLOW, { items: [{ json: known }] }));
		expect(reused).toMatchObject({ taskUuid, status: 'complete', score: 88, attribute: { Tag: [{ name: 'workflow:state="complete"' }] } });
	});

	it('reads the attribute from an {"Attribute": …} wrapper given as the parameter', async () => {
		const inner = attribute('url', 'https://wrapped.example/');
		const result = await runNsxAta(sim, WORKFLOW, {
			items: [{ json: { body: { Attribute: inner } } }],
			parameters: { mispAttribute: '={{ $json.body }}' },
		});
		expect(nodeOutput(result)[0]).toMatchObject({ event_id: '7', sourceAttribute: { uuid: inner.uuid } });
	});

	const emptyBinary: INodeExecutionData = {
		json: attribute('attachment', 'nothing.bin'),
		binary: { data: { data: '', mimeType: 'application/octet-stream', fileName: 'nothing.bin' } },
	};
	const badInputs: Array<[string, INodeExecutionData, RegExp]> = [
		['wrong password', { json: sample(fixture('other-password.zip')) }, /"data" cannot be used: Wrong password/],
		['AES encryption', { json: sample(withMethod(fixture('misp-sample.zip'), 99)) }, /"data" cannot be used: .*AES/],
		['Deflate64', { json: sample(withMethod(fixture('misp-sample.zip'), 9)) }, /"data" cannot be used: .*Deflate64/],
		['several samples', { json: sample(fixture('two-samples.zip')) }, /"data" cannot be used: .*2 samples/],
		['a zip bomb', { json: sample(fixture('zip-bomb.zip'), 'zeros.bin') }, /"data" cannot be used: .*zip bomb/],
		['an empty sample', { json: sample(fixture('empty-sample.zip'), 'empty.exe') }, /malware-sample is an empty file/],
		['an empty attachment', emptyBinary, /attachment is an empty file/],
		['not a ZIP', { json: sample(Buffer.from('plain bytes, not an archive at all'), 'x.exe') }, /"data" cannot be used: .*not a ZIP/],
		['data that is not base64', { json: attribute('attachment', 'a.exe', { data: '%%% not base64 %%%' }) }, /"data" is not base64/],
		['no content at all', { json: attribute('attachment', 'a.exe') }, /has no content: no base64 "data" and no binary field "data"/],
		['an MD5 that does not match', { json: sample(fixture('misp-sample.zip'), `x.exe|${'0'.repeat(32)}`) }, /MD5 .* does not match the "value"/],
		['a link attribute', { json: attribute('link', 'https://portal.example/task/1') }, /"type" link, which this operation does not submit/],
		['another type', { json: attribute('ip-dst', '198.51.100.7') }, /"type" "ip-dst"; only malware-sample, attachment, url/],
		['no uuid', { json: attribute('url', 'https://a.example/', { uuid: 'nope' }) }, /has no valid "uuid"/],
		['no event_id', { json: attribute('url', 'https://a.example/', { event_id: undefined }) }, /has no valid "event_id"/],
		['a url that is not http(s)', { json: attribute('url', 'ftp://files.example/a') }, /"value" is not an http\(s\) URL/],
		['an empty value', { json: attribute('url', '  ') }, /has an empty "value"/],
		['not an attribute', { json: { hello: 'world' } }, /has "type" ""/],
	];

	it.each(badInputs)('refuses %s as an item error naming the item and field, and submits nothing', async (_label, bad, message) => {
		const good = attribute('url', `https://good.example/${nextId}`);
		const result = await runNsxAta(sim, WORKFLOW, { items: [{ json: good }, bad], continueOnFail: true });
		expect(result.status).toBe('success');
		const [ok, failed] = nodeOutput(result);
		expect(ok.status).toBe('incomplete');
		expect(failed.error).toMatch(/^Item 1: /);
		expect(failed.error).toMatch(message);
		expect(failed.attribute).toBeUndefined();
		// Only the good item reached ATA.
		expect(routeCount('analysis/submit/url')).toBe(1);
		expect(submissionsAndLookUps()).toBe(1);
	});

	it('fails the node with the item\'s error without Continue On Fail', async () => {
		const result = await runNsxAta(sim, WORKFLOW, { items: [{ json: sample(fixture('other-password.zip')) }] });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/Item 0: MISP attribute \d+: the malware-sample "data" cannot be used: Wrong password/);
		expect(submissionsAndLookUps()).toBe(0);
	});
});

describe('Submit from MISP Attribute, Wait for Completion', () => {
	const WAIT = { waitForCompletion: true, pollIntervalSeconds: 1 };
	const linkFor = (item: IDataObject, source: IDataObject, state: string, subject: string) => ({
		type: 'link',
		category: 'External analysis',
		value: item.analysisLink,
		to_ids: false,
		comment: `NSX ATA analysis of ${String(source.type)} attribute ${String(source.uuid)} (${subject})`,
		Tag: [{ name: `workflow:state="${state}"` }],
		uuid: uuidV5(`nsx-ata-link:${String(item.taskUuid)}`, source.uuid as string),
	});

	it('is off by default: the link is output incomplete at once, with nothing waited for', async () => {
		const result = await runNsxAta(sim, WORKFLOW, { items: [{ json: attribute('url', 'https://nowait.example/') }] });
		const [item] = nodeOutput(result);
		expect(Object.keys(item)).toEqual(['event_id', 'sourceAttribute', 'submitted', 'taskUuid', 'analysisLink', 'status', 'tag', 'attribute']);
		expect(item.status).toBe('incomplete');
		expect(routeCount('analysis/completed') + routeCount('analysis/get_progress') + routeCount('analysis/get_result')).toBe(0);
	});

	it('outputs the complete link and the objects for the source event once the analysis finishes', async () => {
		const fast = await startSimulator({ completeAfterMs: 300 });
		try {
			const url = 'https://finishes.example/login';
			const inputs = [sample(), attribute('url', url, { event_id: '9' })];
			const result = await runNsxAta(fast, WORKFLOW, {
				credentials: ataCredentials(fast),
				items: inputs.map((json) => ({ json })),
				parameters: { ...WAIT, maxWaitSeconds: 20, options: { output: 'objectItems' } },
			});
			expect(result.status).toBe('success');
			const items = result.output('NSX ATA');
			for (const [index, source] of inputs.entries()) {
				const own = items.filter((item) => item.pairedItem && (item.pairedItem as { item: number }).item === index);
				expect(own.length).toBeGreaterThan(1);
				const subject = index === 0 ? 'invoice 2026.exe' : url;
				for (const { json } of own) {
					expect(json).toMatchObject({
						event_id: source.event_id,
						sourceAttribute: { id: source.id, uuid: source.uuid, type: source.type },
						status: 'complete',
					});
					expect(json.attribute).toEqual(linkFor(json, source, 'complete', subject));
					expect((json.Object as IDataObject).name).toEqual(expect.any(String));
				}
				// The objects are those Query gives for the link attribute in the same event: a later
				// sweep of the link adds nothing new.
				const link = { ...(own[0].json.attribute as IDataObject), id: '900', event_id: source.event_id };
				const queried = nodeOutput(
					await runNsxAta(fast, 'nsx-ata-query.json', {
						credentials: ataCredentials(fast),
						items: [{ json: link }],
						parameters: { options: { output: 'objectItems' } },
					}),
				);
				const uuids = (list: IDataObject[]) => list.map((json) => (json.Object as IDataObject).uuid).sort();
				expect(uuids(own.map((item) => item.json))).toEqual(uuids(queried));
			}
		} finally {
			await fast.close();
		}
	});

	it('outputs exactly the incomplete link when the maximum wait passes, for the sweep to complete', async () => {
		// This file's simulator finishes analyses after an hour; the node waits one second.
		const input = attribute('url', 'https://slow.example/');
		const result = await runNsxAta(sim, WORKFLOW, {
			items: [{ json: input }],
			parameters: { ...WAIT, maxWaitSeconds: 1, options: { output: 'objectItems' } },
		});
		expect(result.status).toBe('success');
		const items = nodeOutput(result);
		expect(items).toHaveLength(1);
		expect(Object.keys(items[0])).toEqual(['event_id', 'sourceAttribute', 'submitted', 'taskUuid', 'analysisLink', 'status', 'tag', 'attribute']);
		expect(items[0]).toMatchObject({ event_id: '7', sourceAttribute: { uuid: input.uuid }, status: 'incomplete' });
		expect(items[0].attribute).toEqual(linkFor(items[0], input, 'incomplete', 'https://slow.example/'));
		expect(routeCount('analysis/completed')).toBeGreaterThan(0); // it did wait
	});
});
