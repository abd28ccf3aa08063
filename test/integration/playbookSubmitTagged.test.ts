/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
/**
 * Playbooks 5 (submit tagged samples, on a schedule) and 6 (the same on MISP Workflows' attribute
 * after-save webhook) from examples/, through n8n's engine against both simulators: samples zipped
 * by MISP, attachments and URLs carrying the request tag end with exactly one analysis link in their
 * own event, and the request tag comes off only where that link is stored — with faults on both sides.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runWorkflow } from '../../dev/engine';
import { addWaitingAttribute, hasTag, linksNaming, REQUEST_TAG, type AddedAttribute, type WaitingAttribute } from '../../dev/mispSubmissions';
import type { AtaSimulator } from '../../simulator/ata';
import { type MispSimulator, startMispSimulator } from '../../simulator/misp';
import { expectNoCredentialsInUrls, startSimulator } from '../support/ataClients';
import { INCOMPLETE, loadPlaybook, playbookCredentials } from '../support/playbooks';

let ata: AtaSimulator;
let misp: MispSimulator;

beforeAll(async () => {
	// Analyses never finish during these tests: the links go in incomplete, for the sweep.
	ata = await startSimulator({ completeAfterMs: 3_600_000 });
	misp = await startMispSimulator();
});
afterEach(() => {
	expectNoCredentialsInUrls(ata);
	ata.reset();
	misp.setWorkflowWebhook(undefined);
	misp.reset();
});
afterAll(async () => {
	await Promise.all([ata.close(), misp.close()]);
});

async function runScheduled() {
	const result = await runWorkflow(loadPlaybook('submit-tagged-samples', misp), {
		credentials: playbookCredentials(ata, misp),
	});
	expect(result.error).toBeUndefined();
	return result;
}

const mispCalls = (path: RegExp) => misp.requests.filter((request) => request.method === 'POST' && path.test(request.path));

function mixed(index: number): WaitingAttribute {
	const content = Buffer.concat([Buffer.from(`sample ${index} `), randomBytes(200 + index)]);
	switch (index % 3) {
		case 0:
			return { type: 'malware-sample', value: `dropper-${index}.exe`, content };
		case 1:
			return { type: 'attachment', value: `invoice-${index}.docm`, content };
		default:
			return { type: 'url', value: `https://phish-${index}.example/login?id=${index}` };
	}
}

/** Every waiting attribute: exactly one link naming it in its own event iff its request tag is gone. */
function expectLinkedWhereUntagged(attributes: AddedAttribute[]): { linked: number; waiting: number } {
	let linked = 0;
	let waiting = 0;
	for (const attribute of attributes) {
		const event = misp.getEvent(attribute.event_id)!;
		const links = linksNaming(event, attribute);
		expect(links.length).toBeLessThanOrEqual(1);
		if (!hasTag(event, attribute.id, REQUEST_TAG)) expect(links).toHaveLength(1);
		if (links.length === 1) linked++;
		else waiting++;
	}
	return { linked, waiting };
}

describe('playbook 5: submit tagged samples', () => {
	it('submits each tagged sample, attachment and URL once, links it in its own event, then removes the request tag', async () => {
		const first = misp.createEvent({ info: 'phishing wave', Attribute: [{ type: 'url', value: 'https://untagged.example/' }] });
		const second = misp.createEvent({ info: 'another case' });
		const sampleContent = randomBytes(3000);
		const sample = await addWaitingAttribute(misp, first.id, { type: 'malware-sample', value: 'invoice.pdf.exe', content: sampleContent });
		const attachment = await addWaitingAttribute(misp, first.id, { type: 'attachment', value: 'macro.docm', content: randomBytes(800) });
		const url = await addWaitingAttribute(misp, second.id, { type: 'url', value: 'https://login.example.net/' });
		const ignored = await addWaitingAttribute(misp, second.id, { type: 'url', value: 'https://not-requested.example/', tags: ['tlp:green'] });

		await runScheduled();

		for (const source of [sample, attachment, url]) {
			const event = misp.getEvent(source.event_id)!;
			const [link] = linksNaming(event, source);
			expect(link).toMatchObject({ type: 'link', category: 'External analysis', Tag: [expect.objectContaining({ name: INCOMPLETE })] });
			expect(linksNaming(event, source)).toHaveLength(1);
			expect(hasTag(event, source.id, REQUEST_TAG)).toBe(false);
		}
		expect(linksNaming(misp.getEvent(second.id)!, ignored)).toHaveLength(0);
		// The sample went to ATA unpacked, under its original name.
		const uploads = ata.requests.filter((request) => request.route === 'analysis/submit/file');
		expect(uploads.map((request) => request.fields.filename).sort()).toEqual(['invoice.pdf.exe', 'macro.docm']);
		expect(uploads.find((request) => request.fields.filename === 'invoice.pdf.exe')!.files[0].size).toBe(sampleContent.length);

		// Nothing tagged any more: a second run finds nothing and adds nothing.
		misp.requests.length = 0;
		await runScheduled();
		expect(mispCalls(/attributes\/add/)).toHaveLength(0);
	});

	it('keeps the request tag on an attribute that cannot be submitted and reports it', async () => {
		const { id } = misp.createEvent({ info: 'broken upload' });
		// Stored without encrypt: MISP keeps the data as given, which here is no ZIP at all.
		const broken = await addWaitingAttribute(misp, id, { type: 'malware-sample', value: 'broken.exe', content: Buffer.alloc(0) });
		const fine = await addWaitingAttribute(misp, id, { type: 'url', value: 'https://fine.example/' });
		const result = await runScheduled();

		const event = misp.getEvent(id)!;
		expect(hasTag(event, broken.id, REQUEST_TAG)).toBe(true);
		expect(linksNaming(event, broken)).toHaveLength(0);
		expect(linksNaming(event, fine)).toHaveLength(1);
		const [failed] = result.output('Could not submit (stays tagged)');
		expect(String(failed.json.error)).toMatch(/has no content|cannot be used/);
	});

	it('50 tagged attributes with faults on both sides: one link each, tags removed only where the link exists, a clean run finishes, a further run adds nothing', async () => {
		const events = Array.from({ length: 5 }, (_, index) => misp.createEvent({ info: `case ${index}` }));
		const attributes: AddedAttribute[] = [];
		for (let index = 0; index < 50; index++) {
			attributes.push(await addWaitingAttribute(misp, events[index % events.length].id, mixed(index)));
		}
		for (const kind of ['http429', 'http500', 'reset'] as const) {
			for (const route of ['analysis/submit/file', 'analysis/submit/url', 'analysis/query/file_hash']) {
				ata.injectFault({ route, kind, rate: 0.15 });
			}
		}
		misp.injectFault({ route: '/attributes/add', kind: 'http500', rate: 0.2 });
		misp.injectFault({ route: '/attributes/add', kind: 'reset', phase: 'after', rate: 0.15 });
		misp.injectFault({ route: '/attributes/add', kind: 'reset', phase: 'before', rate: 0.1 });
		misp.injectFault({ route: '/attributes/removeTag', kind: 'http500', rate: 0.3 });
		misp.injectFault({ route: '/attributes/removeTag', kind: 'reset', phase: 'after', rate: 0.15 });

		await runScheduled();
		const faulted = (path: string) => misp.requests.filter((request) => request.fault && request.path.startsWith(path)).length;
		expect(ata.requests.filter((request) => request.fault).length).toBeGreaterThan(0);
		expect(faulted('/attributes/add')).toBeGreaterThan(0);
		expect(faulted('/attributes/removeTag')).toBeGreaterThan(0);
		const afterFaults = expectLinkedWhereUntagged(attributes);
		expect(afterFaults.linked).toBeGreaterThan(0);

		misp.clearFaults();
		ata.clearFaults();
		await runScheduled();
		expect(expectLinkedWhereUntagged(attributes)).toEqual({ linked: 50, waiting: 0 });
		for (const attribute of attributes) {
			expect(hasTag(misp.getEvent(attribute.event_id)!, attribute.id, REQUEST_TAG)).toBe(false);
		}
		const linkCount = misp.events().reduce((sum, event) => sum + event.Event.Attribute.filter((a) => a.type === 'link').length, 0);
		expect(linkCount).toBe(50);

		misp.requests.length = 0;
		await runScheduled();
		expect(mispCalls(/attributes\/(add|removeTag)/)).toHaveLength(0);
	});
});

describe('playbook 6: submit on the MISP Workflows webhook', () => {
	/** MISP's webhook posts, handed to the playbook as n8n's Webhook node hands them over. */
	async function deliver(payloads: IDataObject[]) {
		for (const body of payloads) {
			const item: INodeExecutionData = { json: { headers: {}, params: {}, query: {}, body } };
			const result = await runWorkflow(loadPlaybook('submit-on-misp-webhook', misp), {
				triggerItems: [item],
				credentials: playbookCredentials(ata, misp),
			});
			expect(result.error).toBeUndefined();
		}
	}

	it('submits what MISP posts on attribute after-save when it carries the request tag, and ignores the rest', async () => {
		const payloads: IDataObject[] = [];
		const receiver = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				payloads.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as IDataObject);
				res.end('{}');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		try {
			const address = receiver.address() as { port: number };
			misp.setWorkflowWebhook({ url: `http://127.0.0.1:${address.port}/webhook` });
			const { id } = misp.createEvent({ info: 'live' });
			const sample = await addWaitingAttribute(misp, id, { type: 'malware-sample', value: 'live.exe', content: randomBytes(1500) });
			const plain = await addWaitingAttribute(misp, id, { type: 'url', value: 'https://plain.example/', tags: [] });
			await misp.webhooksSettled();
			expect(payloads).toHaveLength(2);

			await deliver(payloads.splice(0));
			const event = misp.getEvent(id)!;
			expect(linksNaming(event, sample)).toHaveLength(1);
			expect(hasTag(event, sample.id, REQUEST_TAG)).toBe(false);
			expect(linksNaming(event, plain)).toHaveLength(0);

			// What the playbook did to MISP fired the webhook again (the link added, the tag removed):
			// those posts carry no request tag, so replaying them submits and adds nothing.
			await misp.webhooksSettled();
			expect(payloads.length).toBeGreaterThanOrEqual(2);
			const submissions = ata.requests.filter((request) => /submit/.test(request.route ?? '')).length;
			misp.requests.length = 0;
			await deliver(payloads.splice(0));
			expect(ata.requests.filter((request) => /submit/.test(request.route ?? '')).length).toBe(submissions);
			expect(mispCalls(/attributes\/add/)).toHaveLength(0);
		} finally {
			await new Promise((resolve) => receiver.close(resolve));
		}
	});
});
