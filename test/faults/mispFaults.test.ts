/**
 * Fault matrix, MISP side: the incomplete-sweep playbook (examples/incomplete-sweep.json) through
 * n8n's engine over many seeded incomplete analyses, with MISP failing (403, 404, 500, connection
 * reset) on each call the sweep makes. Whatever the faulty run did, MISP holds only whole objects
 * of the analyses, no object twice, and no attribute tagged complete whose objects are not all
 * stored; a second clean run completes exactly what the faulty run left.
 */
import { runWorkflow, type RunResult } from '../../dev/engine';
import { toMispResults } from '../../nodes/shared/misp/converter';
import { validateObject } from '../../nodes/shared/misp/values';
import type { AtaSimulator } from '../../simulator/ata';
import { type FaultSpec, type MispSimulator, startMispSimulator } from '../../simulator/misp';
import { analystClient, expectNoCredentialsInUrls, startSimulator } from '../support/ataClients';
import { attributeTags, COMPLETE, INCOMPLETE, loadPlaybook, objectCounts, playbookCredentials } from '../support/playbooks';

/** Rates below make "no fault fired" less likely than 1 in 10,000 runs at this size. */
const ANALYSES = 24;

let ata: AtaSimulator;
let misp: MispSimulator;
/** Per analysis: its link and the object counts the converter gives for it. */
let analyses: Array<{ link: string; expected: Record<string, number> }>;

beforeAll(async () => {
	ata = await startSimulator({ reportSizeBytes: 3000 });
	misp = await startMispSimulator();
	analyses = [];
	const client = analystClient(ata);
	for (let i = 0; i < ANALYSES; i++) {
		const kind = i % 2 === 0 ? 'url' : 'file';
		const task = ata.addTask(
			kind === 'url'
				? { kind, url: `https://sweep.example/${i}`, score: 50 + i }
				: { kind, content: `sample ${i}`, score: 50 + i },
		);
		const link = `${ata.portalUrl}/portal#/analyst/task/${task}/overview`;
		const document = await client.getResult(task);
		const expected: Record<string, number> = {};
		for (const object of toMispResults(document, { analysisLink: link, hosted: false }).Object) {
			expected[object.name] = (expected[object.name] ?? 0) + 1;
		}
		analyses.push({ link, expected });
	}
});
afterEach(() => {
	expectNoCredentialsInUrls(ata);
	misp.reset();
});
afterAll(async () => {
	await Promise.all([ata.close(), misp.close()]);
});

/** One event per analysis, each with its link attribute tagged incomplete. */
function seedEvents(): Array<{ eventId: string; attributeId: string }> {
	return analyses.map(({ link }, i) => {
		const event = misp.createEvent({
			info: `Sweep ${i}`,
			Attribute: [{ type: 'link', category: 'External analysis', value: link, Tag: [INCOMPLETE] }],
		});
		return { eventId: event.id, attributeId: event.attributeIds[0] };
	});
}

async function sweep(): Promise<RunResult> {
	return await runWorkflow(loadPlaybook('incomplete-sweep', misp), { credentials: playbookCredentials(ata, misp) });
}

/** The invariants that hold after any run, faulty or not; returns how many analyses are complete. */
function expectConsistentMisp(seeded: Array<{ eventId: string; attributeId: string }>): number {
	const uuids = new Set<string>();
	let complete = 0;
	seeded.forEach(({ eventId, attributeId }, i) => {
		const stored = misp.getEvent(eventId)!.Event;
		const counts = objectCounts(misp, eventId);
		const expected = analyses[i].expected;
		for (const [name, count] of Object.entries(counts)) expect(count).toBeLessThanOrEqual(expected[name] ?? 0);
		const references = new Set<string>();
		for (const object of stored.Object) {
			expect(uuids.has(object.uuid)).toBe(false);
			uuids.add(object.uuid);
			expect(validateObject(object as never)).toEqual([]);
			for (const reference of object.ObjectReference) {
				// MISP gives every posted reference a new uuid: the same link twice would be a duplicate.
				const link = `${object.uuid} ${reference.relationship_type} ${reference.referenced_uuid}`;
				expect(references.has(link)).toBe(false);
				references.add(link);
			}
		}
		const tags = attributeTags(misp, eventId, attributeId);
		if (tags.includes(COMPLETE)) {
			// Never tagged complete without every object of the analysis.
			expect(counts).toEqual(expected);
			if (!tags.includes(INCOMPLETE)) complete += 1;
		} else {
			expect(tags).toEqual([INCOMPLETE]);
		}
	});
	return complete;
}

const CASES: Array<{ name: string; fault: FaultSpec }> = [
	{ name: 'objects/add 403', fault: { route: '/objects/add', kind: 'http403', rate: 0.1 } },
	{ name: 'objects/add 404', fault: { route: '/objects/add', kind: 'http404', rate: 0.1 } },
	{ name: 'objects/add 500', fault: { route: '/objects/add', kind: 'http500', rate: 0.1 } },
	{ name: 'objects/add reset', fault: { route: '/objects/add', kind: 'reset', rate: 0.05 } },
	{ name: 'objects/add reset after storing', fault: { route: '/objects/add', kind: 'reset', rate: 0.05, phase: 'after' } },
	{ name: 'objectReferences/add 500', fault: { route: '/objectReferences/add', kind: 'http500', rate: 0.3 } },
	{ name: 'objectReferences/add reset after storing', fault: { route: '/objectReferences/add', kind: 'reset', rate: 0.1, phase: 'after' } },
	{ name: 'tag complete 500', fault: { route: '/tags/attachTagToObject', kind: 'http500', rate: 0.35 } },
	{ name: 'tag complete 403', fault: { route: '/tags/attachTagToObject', kind: 'http403', rate: 0.35 } },
	{ name: 'tag complete reset', fault: { route: '/tags/attachTagToObject', kind: 'reset', rate: 0.35 } },
	{ name: 'remove incomplete 404', fault: { route: '/attributes/removeTag', kind: 'http404', rate: 0.35 } },
	{ name: 'remove incomplete reset', fault: { route: '/attributes/removeTag', kind: 'reset', rate: 0.35 } },
	{ name: 'search 500', fault: { route: '/attributes/restSearch', kind: 'http500' } },
];

it.each(CASES)('$name: MISP stays consistent and a clean second run completes the rest', async ({ fault }) => {
	const seeded = seedEvents();
	misp.injectFault(fault);
	await sweep();
	// The fault fired; whatever the playbook's own retries could not heal is left consistent.
	expect(misp.requests.some((request) => request.fault !== undefined)).toBe(true);
	expectConsistentMisp(seeded);

	misp.clearFaults();
	const clean = await sweep();
	expect(clean.error).toBeUndefined();
	expect(expectConsistentMisp(seeded)).toBe(ANALYSES);
	for (const { eventId, attributeId } of seeded) expect(attributeTags(misp, eventId, attributeId)).toEqual([COMPLETE]);
});
