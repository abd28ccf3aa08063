/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * The demo's first act, the chain `lastline_submit` + the sweep promised: a malware sample and a URL
 * sit in MISP with the request tag → playbook 5 submits them → an incomplete link lands in the same
 * event → once ATA has finished, the incomplete sweep (playbook 1) completes it with objects.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import type { EngineCredential } from '../dev/engine';
import { runWorkflow } from '../dev/engine';
import { addWaitingAttribute, hasTag, linksNaming, REQUEST_TAG } from '../dev/mispSubmissions';
import { loadPlaybook } from '../dev/playbooks';
import type { MispSimulator } from '../simulator/misp';

const COMPLETE = 'workflow:state="complete"';
const INCOMPLETE = 'workflow:state="incomplete"';

export interface ChainSummary {
	playbook: string;
	seconds: number;
	status: string;
	events: Array<{ id: string; info: string }>;
	notes: string[];
}

export async function submissionChain(
	misp: MispSimulator,
	credentials: EngineCredential[],
	analysisSeconds: number,
	say: (text: string) => void,
): Promise<ChainSummary> {
	const started = performance.now();
	const notes: string[] = [];
	const event = misp.createEvent({ info: 'Demo: sample and phishing URL from an analyst' });
	const sources = [
		await addWaitingAttribute(misp, event.id, { type: 'malware-sample', value: 'invoice-4711.pdf.exe', content: randomBytes(4096) }),
		await addWaitingAttribute(misp, event.id, { type: 'url', value: 'https://invoice-4711.example.net/view' }),
	];
	say(`Event ${event.id} holds a malware-sample (zipped by MISP with password "infected") and a URL, both tagged ${REQUEST_TAG}.`);

	say('Playbook 5 — submit tagged samples (Schedule → MISP search → Submit from MISP Attribute → attributes/add → remove request tag) …');
	const submitted = await runWorkflow(loadPlaybook('submit-tagged-samples', misp.url), { credentials });
	const stateOf = (source: (typeof sources)[number]) => {
		const stored = misp.getEvent(event.id)!;
		const [link] = linksNaming(stored, source);
		const tags = (link?.Tag ?? []).map((tag) => tag.name);
		const state = tags.includes(COMPLETE) ? 'complete' : tags.includes(INCOMPLETE) ? 'incomplete' : 'none';
		return { link: link?.value, state, requested: hasTag(stored, source.id, REQUEST_TAG) };
	};
	for (const source of sources) {
		const { link, state, requested } = stateOf(source);
		const line = `${source.type} ${source.value}: link ${state} in event ${event.id}${requested ? ', request tag still on' : ', request tag removed'}`;
		say(`  ${line}\n    ${link ?? ''}`);
		notes.push(`after submission: ${line}`);
	}

	say(`Waiting ${analysisSeconds} s for the sandbox to finish, then playbook 1 — incomplete sweep …`);
	await new Promise((resolve) => setTimeout(resolve, analysisSeconds * 1000));
	const swept = await runWorkflow(loadPlaybook('incomplete-sweep', misp.url), { credentials });
	const objects = misp.getEvent(event.id)!.Event.Object;
	for (const source of sources) {
		const { state } = stateOf(source);
		const line = `${source.type} ${source.value}: link ${state}`;
		say(`  ${line}`);
		notes.push(`after the sweep: ${line}`);
	}
	const counts: Record<string, number> = {};
	for (const object of objects) counts[object.name] = (counts[object.name] ?? 0) + 1;
	const summary = Object.entries(counts).map(([name, count]) => `${count} ${name}`).join(', ');
	say(`  Event ${event.id} now has ${objects.length} objects: ${summary || 'none'}.\n`);
	notes.push(`objects in event ${event.id}: ${summary || 'none'}`);
	const status = submitted.status === 'success' && swept.status === 'success' ? 'success' : 'error';
	return {
		playbook: 'submit-tagged-samples → incomplete-sweep',
		seconds: (performance.now() - started) / 1000,
		status,
		events: [{ id: event.id, info: 'Demo: sample and phishing URL from an analyst' }],
		notes,
	};
}
