/**
 * Playbook 1, the incomplete sweep (examples/incomplete-sweep.json), through n8n's engine with the
 * stock Schedule, MISP, Filter, If, HTTP Request (mispApi credential), Edit Fields and Summarize
 * nodes against both simulators.
 */
import { runWorkflow } from '../../dev/engine';
import { toMispResults } from '../../nodes/shared/misp/converter';
import { validateObject } from '../../nodes/shared/misp/values';
import { type AtaSimulator, FIXTURE_FILE_TASK, FIXTURE_URL_TASK } from '../../simulator/ata';
import { type MispSimulator, startMispSimulator } from '../../simulator/misp';
import { analystClient, expectNoCredentialsInUrls, startSimulator } from '../support/ataClients';
import {
	attributeTags,
	COMPLETE,
	INCOMPLETE,
	loadPlaybook,
	objectCounts,
	playbookCredentials,
	referenceSignatures,
} from '../support/playbooks';

let ata: AtaSimulator;
let foreign: AtaSimulator;
let misp: MispSimulator;

const link = (taskUuid: string, portal = ata.portalUrl) => `${portal}/portal#/analyst/task/${taskUuid}/overview`;

beforeAll(async () => {
	ata = await startSimulator();
	foreign = await startSimulator();
	misp = await startMispSimulator();
});
afterEach(() => {
	expectNoCredentialsInUrls(ata);
	ata.reset();
	misp.reset();
});
afterAll(async () => {
	await Promise.all([ata.close(), foreign.close(), misp.close()]);
});

async function sweep() {
	const result = await runWorkflow(loadPlaybook('incomplete-sweep', misp), {
		credentials: playbookCredentials(ata, misp),
	});
	expect(result.error).toBeUndefined();
	expect(result.status).toBe('success');
	return result;
}

it('completes finished analyses exactly once, leaves the rest alone, and changes nothing on a second run', async () => {
	const pending = ata.addTask({ kind: 'url', url: 'https://still-running.example/', state: 'pending' });
	const event = misp.createEvent({
		info: 'Phishing campaign',
		Attribute: [
			{ type: 'link', category: 'External analysis', value: link(FIXTURE_FILE_TASK), Tag: [INCOMPLETE] },
			{ type: 'link', category: 'External analysis', value: link(FIXTURE_URL_TASK), Tag: [INCOMPLETE] },
			{ type: 'link', category: 'External analysis', value: link(pending), Tag: [INCOMPLETE] },
			{ type: 'link', category: 'External analysis', value: link(FIXTURE_FILE_TASK, foreign.portalUrl), Tag: [INCOMPLETE] },
			{ type: 'url', category: 'Network activity', value: 'https://not-an-analysis.example/' },
		],
	});
	const [fileAttr, urlAttr, pendingAttr, foreignAttr] = event.attributeIds;

	const first = await sweep();
	// The foreign-host link is reported on the Query node's error output, untouched in MISP.
	const problems = first.output('Could not query');
	expect(problems).toHaveLength(1);
	expect(String(problems[0].json.error)).toMatch(/not at the configured portal/);
	expect(foreign.requests).toHaveLength(0);
	expect(first.output('Still running (next run)')).toHaveLength(1);

	expect(attributeTags(misp, event.id, fileAttr)).toEqual([COMPLETE]);
	expect(attributeTags(misp, event.id, urlAttr)).toEqual([COMPLETE]);
	expect(attributeTags(misp, event.id, pendingAttr)).toEqual([INCOMPLETE]);
	expect(attributeTags(misp, event.id, foreignAttr)).toEqual([INCOMPLETE]);

	// Exactly the converter's objects for both finished analyses landed, each valid, and their
	// references (which objects/add ignores) were posted afterwards.
	const expected: Record<string, number> = {};
	const converted = [];
	for (const task of [FIXTURE_FILE_TASK, FIXTURE_URL_TASK]) {
		const document = await analystClient(ata).getResult(task);
		converted.push(...toMispResults(document, { analysisLink: link(task), hosted: false }).Object);
	}
	for (const object of converted) expected[object.name] = (expected[object.name] ?? 0) + 1;
	const expectedReferences = referenceSignatures(converted);
	expect(objectCounts(misp, event.id)).toEqual(expected);
	expect(expectedReferences.length).toBeGreaterThan(10);
	expect(referenceSignatures(misp.getEvent(event.id)!.Event.Object)).toEqual(expectedReferences);
	// The analyses' ATT&CK galaxy and AV tags landed on the event.
	const eventTags = misp.getEvent(event.id)!.Event.Tag.map((tag) => tag.name);
	expect(eventTags).toEqual(
		expect.arrayContaining([
			'misp-galaxy:mitre-attack-pattern="Process Injection - T1055"',
			'misp-galaxy:mitre-attack-pattern="Spearphishing Link - T1566.002"',
			'av-fam:synthloader',
		]),
	);
	for (const object of misp.getEvent(event.id)!.Event.Object) {
		expect(validateObject(object as never)).toEqual([]);
	}

	const before = JSON.stringify(misp.getEvent(event.id));
	await sweep();
	const after = misp.getEvent(event.id)!;
	expect(after.Event.Object).toHaveLength(Object.values(expected).reduce((a, b) => a + b, 0));
	expect(referenceSignatures(after.Event.Object)).toHaveLength(expectedReferences.length);
	expect(JSON.stringify(after.Event.Attribute.map((a) => [a.id, a.Tag]))).toEqual(
		JSON.stringify(JSON.parse(before).Event.Attribute.map((a: { id: string; Tag: unknown }) => [a.id, a.Tag])),
	);
});
