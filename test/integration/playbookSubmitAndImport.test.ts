/**
 * Playbooks 2 (submit and enrich, Webhook → Respond to Webhook) and 3 (import by link, Form
 * Trigger) from examples/, through n8n's engine against both simulators.
 */
import { randomBytes } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../../dev/engine';
import { validateObject } from '../../nodes/shared/misp/values';
import { type AtaSimulator, FIXTURE_FILE_TASK, FIXTURE_URL } from '../../simulator/ata';
import { type MispSimulator, startMispSimulator } from '../../simulator/misp';
import { expectNoCredentialsInUrls, startSimulator } from '../support/ataClients';
import { COMPLETE, INCOMPLETE, loadPlaybook, playbookCredentials } from '../support/playbooks';

let ata: AtaSimulator;
let misp: MispSimulator;

beforeAll(async () => {
	ata = await startSimulator({ completeAfterMs: 300 });
	misp = await startMispSimulator();
});
afterEach(() => {
	expectNoCredentialsInUrls(ata);
	ata.reset();
	misp.reset();
});
afterAll(async () => {
	await Promise.all([ata.close(), misp.close()]);
});

/** What Respond to Webhook answered. */
function responseBody(result: { responses: Array<{ body?: unknown }> }): IDataObject {
	expect(result.responses).toHaveLength(1);
	const { body } = result.responses[0];
	return (typeof body === 'string' ? JSON.parse(body) : body) as IDataObject;
}

/** A webhook call as n8n's Webhook node hands it to the workflow. */
const webhookItem = (body: IDataObject) => ({ json: { headers: {}, params: {}, query: {}, body } });

async function submitAndEnrich(items: Parameters<typeof runWorkflow>[1] extends infer O ? (O extends { triggerItems?: infer T } ? T : never) : never, fastWait = true) {
	const workflow = loadPlaybook('submit-and-enrich', misp);
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-nsx-ata.nsxAta' && fastWait) {
			node.parameters = { ...node.parameters, pollIntervalSeconds: 1, maxWaitSeconds: 15 };
		}
	}
	const result = await runWorkflow(workflow, { triggerItems: items, credentials: playbookCredentials(ata, misp) });
	expect(result.error).toBeUndefined();
	return result;
}

describe('submit and enrich', () => {
	it('submits a URL, waits, creates the MISP event with its objects and answers the webhook', async () => {
		const result = await submitAndEnrich([webhookItem({ url: 'https://phish.example.org/login' })]);
		const body = responseBody(result);
		expect(body.status).toBe('complete');
		const event = misp.getEvent(String(body.eventId))!.Event;
		expect(event.Object.length).toBe(body.objects);
		expect(event.Object.length).toBeGreaterThan(3);
		for (const object of event.Object) expect(validateObject(object as never)).toEqual([]);
		const linkAttribute = event.Attribute.find((attribute) => attribute.type === 'link')!;
		expect(linkAttribute.Tag?.map((tag) => tag.name)).toEqual([COMPLETE]);
	});

	it('submits an uploaded file', async () => {
		const file = randomBytes(3000);
		const result = await submitAndEnrich([
			{ ...webhookItem({}), binary: { data: { data: file.toString('base64'), mimeType: 'application/x-msdownload', fileName: 'dropper.exe' } } },
		]);
		const body = responseBody(result);
		expect(body.status).toBe('complete');
		expect(ata.submissions).toEqual([expect.objectContaining({ kind: 'file', filename: 'dropper.exe' })]);
	});

	it('records an analysis that does not finish in time as a pending link for the sweep', async () => {
		const slow = await startSimulator({ completeAfterMs: 60_000 });
		try {
			const workflow = loadPlaybook('submit-and-enrich', misp);
			for (const node of workflow.nodes) {
				if (node.type === 'n8n-nodes-nsx-ata.nsxAta') {
					node.parameters = { ...node.parameters, pollIntervalSeconds: 1, maxWaitSeconds: 1 };
				}
			}
			const result = await runWorkflow(workflow, {
				triggerItems: [webhookItem({ url: 'https://slow.example.org/' })],
				credentials: playbookCredentials(slow, misp),
			});
			const body = responseBody(result);
			expect(body.status).toBe('incomplete');
			const event = misp.getEvent(String(body.eventId))!.Event;
			expect(event.Object).toHaveLength(0);
			expect(event.Attribute).toHaveLength(1);
			expect(event.Attribute[0]).toMatchObject({ type: 'link', category: 'External analysis' });
			expect(event.Attribute[0].Tag?.map((tag) => tag.name)).toEqual([INCOMPLETE]);
		} finally {
			await slow.close();
		}
	});

	it('answers a cached URL at once with its results', async () => {
		const result = await submitAndEnrich([webhookItem({ url: FIXTURE_URL })]);
		const body = responseBody(result);
		expect(body.status).toBe('complete');
		expect(ata.requests.filter((r) => r.route === 'analysis/completed').length).toBeLessThanOrEqual(1);
	});
});

describe('import by link', () => {
	const formItem = (link: string) => ({ json: { 'Analysis link': link, submittedAt: '2026-11-28T10:00:00Z', formMode: 'production' } });
	const link = (taskUuid: string) => `${ata.portalUrl}/portal#/analyst/task/${taskUuid}/overview`;

	it('creates one complete event with objects, references and ATT&CK tags; a second import adds nothing', async () => {
		const run = () =>
			runWorkflow(loadPlaybook('import-by-link', misp), {
				triggerItems: [formItem(link(FIXTURE_FILE_TASK))],
				credentials: playbookCredentials(ata, misp),
			});
		const first = await run();
		expect(first.status).toBe('success');
		const events = misp.events();
		expect(events).toHaveLength(1);
		const event = events[0].Event;
		expect(event.Object.length).toBeGreaterThan(20);
		for (const object of event.Object) expect(validateObject(object as never)).toEqual([]);
		expect(event.Object.some((object) => object.ObjectReference.length > 0)).toBe(true);
		expect(event.Tag.map((tag) => tag.name)).toEqual(
			expect.arrayContaining(['misp-galaxy:mitre-attack-pattern="Process Injection - T1055"']),
		);

		const second = await run();
		expect(second.status).toBe('error'); // MISP refuses the same event uuid
		expect(String(second.error?.message)).toMatch(/could not be found|already exists/i);
		expect(misp.events()).toHaveLength(1);
	});

	it('refuses a link to another host before contacting anything', async () => {
		const result = await runWorkflow(loadPlaybook('import-by-link', misp), {
			triggerItems: [formItem(`http://127.0.0.2:8080/portal#/analyst/task/${FIXTURE_FILE_TASK}/overview`)],
			credentials: playbookCredentials(ata, misp),
		});
		expect(result.status).toBe('error');
		expect(String(result.error?.message)).toMatch(/not at the configured portal/);
		expect(misp.events()).toHaveLength(0);
		expect(ata.requests).toHaveLength(0);
	});
});
