/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * Playbooks 5 and 6 in a real n8n: submit tagged samples with `n8n execute`, and the MISP Workflows
 * webhook from the MISP simulator into a running `n8n start`. Assertions follow
 * test/integration/playbookSubmitTagged.test.ts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import { addWaitingAttribute, hasTag, linksNaming, REQUEST_TAG, type AddedAttribute } from '../../dev/mispSubmissions';
import type { MispSimulator } from '../../simulator/misp';
import type { Simulators } from './context';
import type { N8nInstance } from './n8nCli';
import { e2ePlaybook, type LoadMode, withManualStart } from './playbooks';
import { waitFor } from './processes';
import { assertSucceeded } from './scenarios';
import type { N8nServer } from './server';

const SUBMIT_TAGGED_ID = 'nsxE2eSubmitTag01';
const SUBMIT_WEBHOOK_ID = 'nsxE2eSubmitHook1';
const WEBHOOK_PATH = 'nsx-ata-misp-attribute-saved';

function assertOneLinkEach(misp: MispSimulator, sources: AddedAttribute[]): void {
	for (const source of sources) {
		const event = misp.getEvent(source.event_id)!;
		assert.equal(linksNaming(event, source).length, 1, `one link for ${source.type} ${source.value}`);
		assert.equal(hasTag(event, source.id, REQUEST_TAG), false, `request tag removed from ${source.value}`);
	}
}

async function waitingAttributes(misp: MispSimulator, info: string): Promise<{ eventId: string; sources: AddedAttribute[] }> {
	const { id } = misp.createEvent({ info });
	const sources = [
		await addWaitingAttribute(misp, id, { type: 'malware-sample', value: 'e2e-dropper.exe', content: randomBytes(2048) }),
		await addWaitingAttribute(misp, id, { type: 'attachment', value: 'e2e-macro.docm', content: randomBytes(512) }),
		await addWaitingAttribute(misp, id, { type: 'url', value: `https://e2e-${Date.now()}.example/login` }),
	];
	return { eventId: id, sources };
}

/** Playbook 5 via `n8n execute`: one link per tagged attribute in its own event; a rerun adds nothing. */
export async function submitTaggedScenario(instance: N8nInstance, sims: Simulators, mode: LoadMode): Promise<void> {
	const { misp } = sims;
	const workflow = withManualStart(e2ePlaybook('submit-tagged-samples', { id: SUBMIT_TAGGED_ID, mode, mispUrl: misp.url }), 'Every 5 minutes');
	await instance.importWorkflow(workflow);
	const { sources } = await waitingAttributes(misp, 'Tagged for submission (e2e)');
	assertSucceeded(await instance.execute(SUBMIT_TAGGED_ID));
	assertOneLinkEach(misp, sources);
	const before = misp.requests.length;
	assertSucceeded(await instance.execute(SUBMIT_TAGGED_ID));
	const writes = misp.requests.slice(before).filter((request) => /attributes\/(add|removeTag)/.test(request.path));
	assert.equal(writes.length, 0, 'a second run writes nothing');
	assertOneLinkEach(misp, sources);
}

export async function importWebhookPlaybook(instance: N8nInstance, mispUrl: string): Promise<void> {
	await instance.importWorkflow(e2ePlaybook('submit-on-misp-webhook', { id: SUBMIT_WEBHOOK_ID, mode: 'community', mispUrl }));
}

/** Playbook 6: MISP (the simulator) posts Attribute After Save to the running n8n's webhook. */
export async function webhookSubmissionScenario(n8n: N8nServer, sims: Simulators): Promise<void> {
	const { misp } = sims;
	await n8n.activate(SUBMIT_WEBHOOK_ID);
	await n8n.waitForWebhook(`/webhook/${WEBHOOK_PATH}`, 'POST');
	misp.setWorkflowWebhook({ url: `${n8n.baseUrl}/webhook/${WEBHOOK_PATH}` });
	try {
		const { eventId, sources } = await waitingAttributes(misp, 'Saved in MISP (e2e)');
		const untagged = await addWaitingAttribute(misp, eventId, { type: 'url', value: 'https://untagged-e2e.example/', tags: [] });
		await waitFor(
			'a link per tagged attribute',
			async () => sources.every((source) => linksNaming(misp.getEvent(eventId)!, source).length > 0 && !hasTag(misp.getEvent(eventId)!, source.id, REQUEST_TAG)),
			60_000,
		);
		// The saves the playbook caused (links added, tags removed) come back as webhooks too.
		await misp.webhooksSettled();
		await new Promise((resolve) => setTimeout(resolve, 2000));
		await misp.webhooksSettled();
		assertOneLinkEach(misp, sources);
		assert.equal(linksNaming(misp.getEvent(eventId)!, untagged).length, 0, 'the untagged URL is left alone');
		assert.ok(misp.webhookDeliveries.every((delivery) => delivery.status === 200), 'n8n took every webhook');
		const executions = await n8n.executions(SUBMIT_WEBHOOK_ID);
		assert.deepEqual(executions.filter((execution) => execution.status !== 'success').map((execution) => execution.data?.resultData.error?.message), []);
	} finally {
		misp.setWorkflowWebhook(undefined);
		await n8n.deactivate(SUBMIT_WEBHOOK_ID);
	}
}
