/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * Scenarios against `n8n start`: the owner logs in, creates an API key, activates the webhook,
 * form and trigger playbooks through the public API, and drives them over HTTP as users do.
 * Assertions follow test/integration/playbookSubmitAndImport.test.ts and playbookTicket.test.ts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import { validateObject } from '../../nodes/shared/misp/values';
import { FIXTURE_FILE_TASK, FIXTURE_URL } from '../../simulator/ata';
import type { Checks } from './checks';
import { COMPLETE } from '../../dev/mispState';
import { analysisLink, analystClient, e2eCredentials, pastCompletionWindow, type Simulators, THEHIVE_KEY } from './context';
import type { N8nInstance } from './n8nCli';
import type { PackedPackage } from './packaging';
import { e2ePlaybook, type ImportableWorkflow, type LoadMode } from './playbooks';
import { N8nServer, ownerEnvironment } from './server';
import { waitFor } from './processes';
import { importWebhookPlaybook, webhookSubmissionScenario } from './submissionScenarios';

export const SUBMIT_ID = 'nsxE2eSubmit00001';
export const IMPORT_ID = 'nsxE2eImport00001';
export const TICKET_ID = 'nsxE2eTicket00001';

const SUBMIT_PATH = 'nsx-ata-submit';
const TRIGGER_NODE = 'Analysis completed';

/** `YYYY-MM-DD HH:MM:SS` (ATA's UTC time format) some minutes ago. */
export function ataTimeMinutesAgo(minutes: number): string {
	return new Date(Date.now() - minutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The same shorter waits the in-process test sets, so a new analysis finishes within seconds. */
function withFastWait(workflow: ImportableWorkflow): ImportableWorkflow {
	for (const node of workflow.nodes) {
		if (node.type.endsWith('.nsxAta') && node.parameters.waitForCompletion) {
			node.parameters = { ...node.parameters, pollIntervalSeconds: 1, maxWaitSeconds: 15 };
		}
	}
	return workflow;
}

export async function importServerPlaybooks(
	instance: N8nInstance,
	mode: LoadMode,
	mispUrl: string,
	triggerCursor: string,
): Promise<void> {
	await instance.importWorkflow(withFastWait(e2ePlaybook('submit-and-enrich', { id: SUBMIT_ID, mode, mispUrl })));
	await instance.importWorkflow(e2ePlaybook('import-by-link', { id: IMPORT_ID, mode, mispUrl }));
	await instance.importWorkflow(ticketPlaybook(TICKET_ID, mode, mispUrl, triggerCursor));
	await importWebhookPlaybook(instance, mispUrl);
}

/**
 * The TheHive playbook with its trigger's cursor set. The trigger starts from "now" on first
 * activation; a cursor in the past lets the poll that activation runs pick up the analyses a
 * scenario completes.
 */
export function ticketPlaybook(id: string, mode: LoadMode, mispUrl: string, triggerCursor: string): ImportableWorkflow {
	const ticket = e2ePlaybook('ticket-on-malicious', { id, mode, mispUrl });
	ticket.staticData = { [`node:${TRIGGER_NODE}`]: { cursor: triggerCursor, recent: [] } };
	return ticket;
}

interface SubmitResponse {
	eventId: string;
	eventUuid: string;
	objects: number;
	status: string;
}

export async function serverScenarios(
	instance: N8nInstance,
	sims: Simulators,
	checks: Checks,
	pkg: PackedPackage,
): Promise<void> {
	const { ata, misp, thehive } = sims;
	const cursor = ataTimeMinutesAgo(0.5);
	const imported = await checks.check('server: import the webhook, form and trigger playbooks', async () => {
		// Same credential ids, now pointing at this phase's simulators.
		await instance.importCredentials(e2eCredentials(sims));
		await importServerPlaybooks(instance, 'community', misp.url, cursor);
	});
	if (!imported) return;

	let server: N8nServer | undefined;
	const started = await checks.check('server: n8n start on 127.0.0.1, owner login, API key', async () => {
		server = await N8nServer.start(instance, { env: ownerEnvironment(instance) });
		await server.logIn();
	});
	if (!started || !server) return;
	const n8n = server;
	try {
		await checks.check('server: Settings → Community nodes lists the package, loaded', async () => {
			const listed = (await n8n.mustRequest('GET', '/rest/community-packages')).json<{
				data: Array<{ packageName: string; installedVersion: string; failedLoading?: boolean; installedNodes: Array<{ type: string }> }>;
			}>().data;
			const entry = listed.find((candidate) => candidate.packageName === pkg.manifest.name);
			assert.ok(entry, 'package listed');
			assert.equal(entry.installedVersion, pkg.manifest.version);
			assert.notEqual(entry.failedLoading, true, 'package loaded');
			assert.deepEqual(
				entry.installedNodes.map((node) => node.type).sort(),
				pkg.nodeTypes.map((node) => `${pkg.manifest.name}.${node.name}`).sort(),
			);
		});

		const submitActive = await checks.check('server: activate submit-and-enrich (Webhook)', async () => {
			await n8n.activate(SUBMIT_ID);
			await n8n.waitForWebhook(`/webhook/${SUBMIT_PATH}`, 'POST');
		});
		if (submitActive) {
			await checks.check('server: webhook submits a new URL, waits, creates the MISP event, responds', async () => {
				const response = await n8n.request('POST', `/webhook/${SUBMIT_PATH}`, { url: 'https://phish.example.org/login' });
				assert.equal(response.status, 200, response.text);
				const body = response.json<SubmitResponse>();
				assert.equal(body.status, 'complete');
				const event = misp.getEvent(String(body.eventId))!.Event;
				assert.equal(event.Object.length, body.objects);
				assert.ok(event.Object.length > 3, 'objects stored');
				for (const object of event.Object) assert.deepEqual(validateObject(object as never), []);
				const link = event.Attribute.find((attribute) => attribute.type === 'link')!;
				assert.deepEqual(link.Tag?.map((tag) => tag.name), [COMPLETE]);
			});
			await checks.check('server: webhook answers a cached URL at once', async () => {
				const response = await n8n.request('POST', `/webhook/${SUBMIT_PATH}`, { url: FIXTURE_URL });
				assert.equal(response.status, 200, response.text);
				assert.equal(response.json<SubmitResponse>().status, 'complete');
			});
			await checks.check('server: webhook takes an uploaded file (multipart)', async () => {
				const form = new FormData();
				const file = randomBytes(3000);
				form.append('data', new Blob([file], { type: 'application/x-msdownload' }), 'dropper.exe');
				const before = ata.submissions.length;
				const response = await n8n.request('POST', `/webhook/${SUBMIT_PATH}`, form);
				assert.equal(response.status, 200, response.text);
				assert.equal(response.json<SubmitResponse>().status, 'complete');
				const submitted = ata.submissions.slice(before);
				assert.deepEqual(
					submitted.map((submission) => [submission.kind, submission.filename]),
					[['file', 'dropper.exe']],
				);
			});
		}

		const importPlaybook = e2ePlaybook('import-by-link', { id: IMPORT_ID, mode: 'community', mispUrl: misp.url });
		const formNode = importPlaybook.nodes.find((node) => node.type === 'n8n-nodes-base.formTrigger')!;
		const formActive = await checks.check('server: activate import-by-link (Form Trigger)', async () => {
			await n8n.activate(IMPORT_ID);
			await n8n.waitForWebhook(`/form/${formNode.webhookId}`, 'GET');
		});
		if (formActive) {
			await checks.check('server: the form imports an analysis link into one new MISP event', async () => {
				const page = await n8n.request('GET', `/form/${formNode.webhookId}`);
				assert.equal(page.status, 200, 'the form page is served');
				assert.match(page.text, /Import an NSX ATA analysis into MISP/);
				const eventsBefore = misp.events().length;
				const form = new FormData();
				form.append('field-0', analysisLink(ata, FIXTURE_FILE_TASK));
				const submitted = await n8n.request('POST', `/form/${formNode.webhookId}`, form);
				assert.ok(submitted.status < 400, `form submission answered ${submitted.status}`);
				await waitFor('the MISP event', async () => misp.events().length > eventsBefore, 60_000);
				const event = misp.events()[eventsBefore].Event;
				assert.ok(event.Object.length > 20, `${event.Object.length} objects`);
				for (const object of event.Object) assert.deepEqual(validateObject(object as never), []);
				assert.ok(event.Object.some((object) => object.ObjectReference.length > 0), 'object references');
				assert.ok(
					event.Tag.some((tag) => tag.name === 'misp-galaxy:mitre-attack-pattern="Process Injection - T1055"'),
					'ATT&CK tag on the event',
				);
			});
		}

		await checks.check('server: NSX ATA Trigger polls on activation and raises TheHive alerts', async () => {
			const scores = [12, 75, 96];
			const tasks = scores.map((score, i) => ata.addTask({ kind: 'file', content: `e2e sample ${i}`, score }));
			await pastCompletionWindow();
			// What the trigger should see: every analysis completed since the cursor, scored ≥ 70.
			const page = await analystClient(ata).getCompleted(cursor);
			const malicious = page.tasks.filter((task) => (task.score ?? 0) >= 70).map((task) => task.taskUuid);
			assert.ok(malicious.includes(tasks[1]) && malicious.includes(tasks[2]) && !malicious.includes(tasks[0]));
			await n8n.activate(TICKET_ID);
			await waitFor('TheHive alerts', async () => thehive.alerts.length >= malicious.length, 60_000);
			await new Promise((resolve) => setTimeout(resolve, 1000));
			assert.deepEqual(thehive.alerts.map((alert) => alert.body.sourceRef).sort(), [...malicious].sort());
			for (const alert of thehive.alerts) {
				assert.equal(alert.authorization, `Bearer ${THEHIVE_KEY}`);
				assert.equal(alert.body.type, 'nsx-ata');
				assert.equal(alert.body.source, 'NSX ATA');
				assert.ok(String(alert.body.description).includes(analysisLink(ata, String(alert.body.sourceRef))));
				assert.match(String(alert.body.description), /ATT&CK techniques:\n- .+ - T\d{4}/);
			}
			await n8n.deactivate(TICKET_ID);
		});

		await checks.check('server: MISP Workflows webhook (attribute after-save) → submit-on-misp-webhook → link in the same event', () =>
			webhookSubmissionScenario(n8n, sims),
		);

		await checks.check('server: executions are recorded as successful (public API)', async () => {
			for (const id of [SUBMIT_ID, IMPORT_ID, TICKET_ID]) {
				const executions = await n8n.executions(id);
				assert.ok(executions.length > 0, `${id} has executions`);
				const failed = executions.filter((execution) => execution.status !== 'success');
				assert.deepEqual(failed.map((execution) => execution.data?.resultData.error?.message), []);
			}
		});
		assert.deepEqual(ata.requestsWithCredentialsInUrl(), []);
	} finally {
		await n8n.stop();
	}
}
