/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
/**
 * Scenarios run with n8n's CLI (`import:workflow` + `execute --id`): the incomplete-sweep
 * playbook with the stock MISP, Filter, If, Summarize and HTTP Request (mispApi) nodes, asserted
 * on the MISP simulator's final state exactly as test/integration/playbookSweep.test.ts does.
 */
import assert from 'node:assert/strict';

import { type MispObject, toMispResults } from '../../nodes/shared/misp/converter';
import { validateObject } from '../../nodes/shared/misp/values';
import { FIXTURE_FILE_TASK, FIXTURE_URL_TASK, type AtaSimulator } from '../../simulator/ata';
import { attributeTags, COMPLETE, INCOMPLETE, objectCounts, referenceSignatures } from '../../dev/mispState';
import { analysisLink, analystClient, type Simulators } from './context';
import { type CliExecution, type N8nInstance, nodeItems } from './n8nCli';
import { e2ePlaybook, type LoadMode, withManualStart } from './playbooks';
import { redact } from './secrets';

export const SWEEP_ID = 'nsxE2eSweep000001';

/** The converter's objects for each analysis: what MISP should end up holding, per task. */
export async function convertedObjects(ata: AtaSimulator, tasks: string[]): Promise<Map<string, MispObject[]>> {
	const client = analystClient(ata);
	const objects = new Map<string, MispObject[]>();
	for (const task of tasks) {
		const document = await client.getResult(task);
		objects.set(task, toMispResults(document, { analysisLink: analysisLink(ata, task), hosted: false }).Object);
	}
	return objects;
}

/** Objects by name and their references, as `objectCounts`/`referenceSignatures` read them from MISP. */
export function mispContent(objects: MispObject[]) {
	const counts: Record<string, number> = {};
	for (const object of objects) counts[object.name] = (counts[object.name] ?? 0) + 1;
	return { counts, references: referenceSignatures(objects) };
}

export function assertSucceeded(execution: CliExecution): void {
	const error = execution.run?.data.resultData.error;
	if (execution.code === 0 && execution.run && !error) return;
	const tail = redact(`${execution.stdout}\n${execution.stderr}`).trim().split('\n').slice(-25);
	assert.fail(
		`n8n execute exited ${execution.code}${error ? `: ${error.message}` : ''}\n${tail.join('\n')}`,
	);
}

export async function importSweep(instance: N8nInstance, mode: LoadMode, mispUrl: string) {
	const workflow = withManualStart(
		e2ePlaybook('incomplete-sweep', { id: SWEEP_ID, mode, mispUrl }),
		'Every 15 minutes',
	);
	await instance.importWorkflow(workflow);
}

/** The in-process sweep test's assertions, against the state a real n8n left in MISP. */
export async function sweepScenario(instance: N8nInstance, sims: Simulators, foreign: AtaSimulator) {
	const { ata, misp } = sims;
	const pending = ata.addTask({ kind: 'url', url: 'https://still-running.example/', state: 'pending' });
	const event = misp.createEvent({
		info: 'Phishing campaign (e2e)',
		Attribute: [
			{ type: 'link', category: 'External analysis', value: analysisLink(ata, FIXTURE_FILE_TASK), Tag: [INCOMPLETE] },
			{ type: 'link', category: 'External analysis', value: analysisLink(ata, FIXTURE_URL_TASK), Tag: [INCOMPLETE] },
			{ type: 'link', category: 'External analysis', value: analysisLink(ata, pending), Tag: [INCOMPLETE] },
			{ type: 'link', category: 'External analysis', value: analysisLink(ata, FIXTURE_FILE_TASK, foreign.portalUrl), Tag: [INCOMPLETE] },
			{ type: 'url', category: 'Network activity', value: 'https://not-an-analysis.example/' },
		],
	});
	const [fileAttr, urlAttr, pendingAttr, foreignAttr] = event.attributeIds;

	const first = await instance.execute(SWEEP_ID);
	assertSucceeded(first);
	const run = first.run!;
	const problems = nodeItems(run, 'Could not query');
	assert.equal(problems.length, 1, 'one link reported on the error output');
	assert.match(String(problems[0].json.error), /not at the configured portal/);
	assert.equal(foreign.requests.length, 0, 'the foreign host saw no request');
	assert.equal(nodeItems(run, 'Still running (next run)').length, 1);

	assert.deepEqual(attributeTags(misp, event.id, fileAttr), [COMPLETE]);
	assert.deepEqual(attributeTags(misp, event.id, urlAttr), [COMPLETE]);
	assert.deepEqual(attributeTags(misp, event.id, pendingAttr), [INCOMPLETE]);
	assert.deepEqual(attributeTags(misp, event.id, foreignAttr), [INCOMPLETE]);

	const converted = await convertedObjects(ata, [FIXTURE_FILE_TASK, FIXTURE_URL_TASK]);
	const expected = mispContent([...converted.values()].flat());
	assert.deepEqual(objectCounts(misp, event.id), expected.counts);
	assert.deepEqual(referenceSignatures(misp.getEvent(event.id)!.Event.Object), expected.references, 'object references');
	const eventTags = misp.getEvent(event.id)!.Event.Tag.map((tag) => tag.name);
	for (const tag of [
		'misp-galaxy:mitre-attack-pattern="Process Injection - T1055"',
		'misp-galaxy:mitre-attack-pattern="Spearphishing Link - T1566.002"',
		'av-fam:synthloader',
	]) {
		assert.ok(eventTags.includes(tag), `event tag ${tag}`);
	}
	for (const object of misp.getEvent(event.id)!.Event.Object) {
		assert.deepEqual(validateObject(object as never), [], `object ${object.name} is valid`);
	}

	// A second run changes nothing: no object or reference twice, tags as they were.
	const before = misp.getEvent(event.id)!.Event.Attribute.map((a) => [a.id, a.Tag]);
	assertSucceeded(await instance.execute(SWEEP_ID));
	const after = misp.getEvent(event.id)!.Event;
	const total = Object.values(expected.counts).reduce((sum, count) => sum + count, 0);
	assert.equal(after.Object.length, total, 'no object stored twice');
	assert.equal(referenceSignatures(after.Object).length, expected.references.length, 'no reference posted twice');
	assert.deepEqual(after.Attribute.map((a) => [a.id, a.Tag]), before);
	assert.deepEqual(ata.requestsWithCredentialsInUrl(), [], 'no credentials in ATA URLs');
}

export const UNPREFIXED_ID = 'nsxE2eUnprefixed01';

/**
 * Custom-extension mode registers the nodes as `CUSTOM.<name>`: a workflow that names them by
 * the package (`n8n-nodes-nsx-ata.<name>`) does not run, which is why the e2e rewrites prefixes.
 */
export async function unprefixedScenario(instance: N8nInstance, mispUrl: string) {
	const workflow = e2ePlaybook('import-by-link', { id: UNPREFIXED_ID, mode: 'community', mispUrl });
	await instance.importWorkflow(withManualStart(workflow, 'Analysis link form'));
	const execution = await instance.execute(UNPREFIXED_ID);
	assert.notEqual(execution.code, 0, 'the run fails');
	assert.match(`${execution.stdout}\n${execution.stderr}`, /Unrecognized node type: n8n-nodes-nsx-ata\.nsxAta/);
}

export const CUSTOM_CALL_ID = 'nsxE2eCustomCall01';

/**
 * "Custom API Call" the way n8n offers it: a stock HTTP Request node with the NSX ATA Analyst API
 * credential (Predefined Credential Type) calling `analysis/get_completed`, an endpoint the NSX ATA
 * node does not use. The credential logs in by itself; the call carries the session cookie.
 */
export async function customApiCallScenario(instance: N8nInstance, ata: AtaSimulator) {
	const workflow = {
		id: CUSTOM_CALL_ID,
		name: 'Custom ATA call (e2e)',
		active: false,
		nodes: [
			{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'call',
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					url: `${ata.url}/analysis/get_completed.json?after=2020-01-01%2000:00:00`,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'nsxAtaAnalystApi',
					options: {},
				},
				credentials: { nsxAtaAnalystApi: { id: 'ata', name: 'NSX ATA' } },
			},
		],
		connections: { Start: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] } },
		settings: {},
	};
	await instance.importWorkflow(workflow);
	const before = ata.requests.length;
	const execution = await instance.execute(CUSTOM_CALL_ID);
	assertSucceeded(execution);
	const [item] = nodeItems(execution.run!, 'HTTP Request');
	assert.equal(item?.json.success, 1, `ATA answered ${JSON.stringify(item?.json)}`);
	const calls = ata.requests.slice(before);
	const call = calls.find((request) => request.route === 'analysis/get_completed');
	assert.ok(call, 'the HTTP Request node never reached analysis/get_completed');
	assert.ok(call.cookieNames.length > 0, 'the call carried no session cookie');
	assert.ok(calls.every((request) => Object.keys(request.query).every((key) => !/key|token/.test(key))));
}
