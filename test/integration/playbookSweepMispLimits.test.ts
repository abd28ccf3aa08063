/* eslint-disable no-console -- reports the figures of a run against a real MISP */
/**
 * The incomplete sweep (examples/incomplete-sweep.json) against what a real MISP 2.5.1 showed
 * (misp.md §10), reproduced by the MISP simulator: a slow MISP with a small accept backlog, the
 * stock import regexps that block some values, event tags without a unique key (concurrent
 * attaches both insert) and tag names looked up with SQL LIKE. With MISP_URL and MISP_KEY set,
 * the same tests run against a real MISP (test/simulator/misp/mispTarget.ts); checks that need the
 * simulator's request log or slow-mode counters are skipped there.
 */
import { runWorkflow, type RunResult } from '../../dev/engine';
import { COMPLETE, INCOMPLETE, referenceSignatures } from '../../dev/mispState';
import { loadPlaybook, playbookCredentials } from '../../dev/playbooks';
import { toMispResults } from '../../nodes/shared/misp/converter';
import type { AtaSimulator } from '../../simulator/ata';
import { analystClient, startSimulator } from '../support/ataClients';
import { type MispTarget, mispTarget as startMispTarget, onRealMisp } from '../simulator/misp/mispTarget';

const PARTIAL = 'ata:partial';
/** A path MISP's stock import regexps rewrite to %LOCALAPPDATA%\… and then block. */
const BLOCKED_PATH =
	'C:\\Users\\Walter\\AppData\\Local\\Microsoft\\Windows\\Temporary Internet Files\\Content.IE5\\update.htm';

/** A real MISP under load takes minutes where the simulator takes seconds. */
const TIMEOUT_MS = onRealMisp ? 900_000 : 60_000;
/** Reports of a few dozen objects, where the size of the analysis does not matter. */
const SMALL_REPORT = 3000;

let ata: AtaSimulator;
let misp: MispTarget;
/** Events seeded by the running test: on a real MISP the sweep looks only at these. */
let seeded: string[] = [];

beforeAll(async () => {
	ata = await startSimulator();
});
afterEach(async () => {
	seeded = [];
	await misp?.close();
});
afterAll(async () => {
	await ata.close();
});

const linkOf = (task: string) => `${ata.portalUrl}/portal#/analyst/task/${task}/overview`;

async function seed(...events: Parameters<MispTarget['createEvent']>): ReturnType<MispTarget['createEvent']> {
	const event = await misp.createEvent(...events);
	seeded.push(event.id);
	return event;
}

async function sweep(): Promise<RunResult> {
	const workflow = loadPlaybook('incomplete-sweep', misp.url);
	if (!misp.simulator) {
		// A real MISP may hold incomplete links of other runs: sweep only this test's events.
		const search = workflow.nodes.find((node) => node.name === 'Find incomplete analyses')!;
		const body = JSON.parse(String(search.parameters.jsonOutput)) as object;
		search.parameters.jsonOutput = JSON.stringify({ ...body, eventid: seeded });
	}
	const result = await runWorkflow(workflow, { credentials: playbookCredentials({ ata, misp }) });
	expect(result.error).toBeUndefined();
	expect(result.status).toBe('success');
	return result;
}

/** The result document of a fresh task, changed by `edit`, served by a new task. */
async function taskWithResult(seed: string, edit: (document: Record<string, unknown>) => void): Promise<string> {
	const template = ata.addTask({ kind: 'file', content: seed, score: 80, reportSizeBytes: SMALL_REPORT });
	const document = structuredClone(await analystClient(ata).getResult(template)) as Record<string, unknown>;
	edit(document);
	return ata.addTask({ kind: 'file', content: `${seed} (edited)`, score: 80, result: document });
}

/** What the converter makes of the analyses, per event: object counts and reference signatures. */
async function expectedFor(tasks: string[], eventId: string) {
	const objects = [];
	for (const task of tasks) {
		const document = await analystClient(ata).getResult(task);
		objects.push(...toMispResults(document, { analysisLink: linkOf(task), hosted: false, uuidScope: `event:${eventId}` }).Object);
	}
	const counts: Record<string, number> = {};
	for (const object of objects) counts[object.name] = (counts[object.name] ?? 0) + 1;
	return { counts, references: referenceSignatures(objects), objects };
}

type StoredEvent = NonNullable<Awaited<ReturnType<MispTarget['getEvent']>>>;

async function storedEvent(eventId: string): Promise<StoredEvent> {
	const event = await misp.getEvent(eventId);
	if (!event) throw new Error(`event ${eventId} cannot be read`);
	return event;
}

async function eventTagNames(eventId: string): Promise<string[]> {
	return ((await storedEvent(eventId)).Event.Tag ?? []).map((tag) => tag.name);
}

function attributeTagNames(event: StoredEvent, attributeId: string): string[] {
	const attribute = event.Event.Attribute.find((candidate) => candidate.id === attributeId)!;
	return (attribute.Tag ?? []).map((tag) => tag.name).sort();
}

async function attributeTags(eventId: string, attributeId: string): Promise<string[]> {
	return attributeTagNames(await storedEvent(eventId), attributeId);
}

function objectNameCounts(event: StoredEvent): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const object of event.Event.Object) counts[object.name] = (counts[object.name] ?? 0) + 1;
	return counts;
}

it('a slow MISP with a small backlog stores 1,500+ objects and every reference exactly once, in one run', async () => {
	misp = await startMispTarget({ slowMode: { objectsPerSecond: 80, workers: 4, backlog: 4, synRetryMs: 100 } });
	const tasks = Array.from({ length: 9 }, (_, i) => ata.addTask({ kind: 'file', content: `slow sample ${i}`, score: 80 }));
	const events: Array<Awaited<ReturnType<MispTarget['createEvent']>>> = [];
	for (const [i, task] of tasks.entries()) {
		events.push(
			await seed({
				info: `Slow ${i}`,
				Attribute: [{ type: 'link', category: 'External analysis', value: linkOf(task), Tag: [INCOMPLETE] }],
			}),
		);
	}
	const expected = await Promise.all(tasks.map((task, i) => expectedFor([task], events[i].id)));
	const total = expected.reduce((sum, { objects }) => sum + objects.length, 0);
	expect(total).toBeGreaterThanOrEqual(1500);

	const run = await sweep();

	for (const [i, event] of events.entries()) {
		const stored = await storedEvent(event.id);
		expect(attributeTagNames(stored, event.attributeIds[0])).toEqual([COMPLETE]);
		expect(objectNameCounts(stored)).toEqual(expected[i].counts);
		expect(referenceSignatures(stored.Event.Object)).toEqual(expected[i].references);
	}
	if (misp.simulator) {
		expect(misp.simulator.unservedRequests()).toBe(0);
		const posts = misp.simulator.requests.filter((request) => request.path.startsWith('/objects/add'));
		// Each object once, bar the rare retry of a batch after a failure.
		expect(posts.length).toBeLessThan(total * 1.05);
	}
	if (!misp.simulator) {
		// Figures for the README's note on a real MISP (timing is reported, never asserted).
		const posts = run.runData['Store object in MISP'];
		const seconds = (posts.at(-1)!.startTime + posts.at(-1)!.executionTime - posts[0].startTime) / 1000;
		console.info(`${misp.url}: ${total} objects at ${(total / seconds).toFixed(1)}/s, whole run ${(run.durationMs / 1000).toFixed(0)} s`);
	}
}, onRealMisp ? 3_600_000 : 240_000);

it('a value blocked by the import regexps ends in a visible partial state after one run, never retried', async () => {
	misp = await startMispTarget();
	const task = await taskWithResult('blocked sample', (document) => {
		const subjects = (document.report as { analysis_subjects: Array<{ file_writes?: Array<Record<string, unknown>> }> })
			.analysis_subjects;
		const write = subjects.flatMap((subject) => subject.file_writes ?? []).find((entry) => entry.ext_info);
		write!.abs_path = BLOCKED_PATH;
		write!.filename = BLOCKED_PATH;
	});
	const event = await seed({
		info: 'Blocked value',
		Attribute: [{ type: 'link', category: 'External analysis', value: linkOf(task), Tag: [INCOMPLETE] }],
	});
	const expected = await expectedFor([task], event.id);

	const first = await sweep();

	expect(await attributeTags(event.id, event.attributeIds[0])).toEqual([PARTIAL, COMPLETE].sort());
	const refused = first.output('Refused by MISP');
	expect(refused).toHaveLength(1);
	const [object] = refused[0].json.refused as Array<{ object: string; reason: string }>;
	expect(object.object).toBe('file');
	expect(object.reason).toMatch(/blocked by a regular expression/);
	const stored = (await storedEvent(event.id)).Event.Object;
	expect(stored).toHaveLength(expected.objects.length - 1);
	// Every reference between two stored objects is there, once.
	const storedUuids = new Set(stored.map((o) => o.uuid));
	const reachable = expected.objects
		.filter((o) => storedUuids.has(o.uuid))
		.map((o) => ({ ...o, ObjectReference: (o.ObjectReference ?? []).filter((r) => storedUuids.has(r.referenced_uuid)) }));
	expect(referenceSignatures(stored)).toEqual(referenceSignatures(reachable));

	const second = await sweep();
	expect(second.output('NSX ATA Query')).toEqual([]);
	expect(second.runData['Store object in MISP']).toBeUndefined();
	expect(await attributeTags(event.id, event.attributeIds[0])).toEqual([PARTIAL, COMPLETE].sort());
}, TIMEOUT_MS);

it('analyses sharing an event attach each event tag once', async () => {
	misp = await startMispTarget();
	const tasks = Array.from({ length: 4 }, (_, i) =>
		ata.addTask({ kind: 'file', content: `shared tags ${i}`, score: 80, reportSizeBytes: SMALL_REPORT }),
	);
	const event = await seed({
		info: 'Four analyses, one event',
		Attribute: tasks.map((task) => ({ type: 'link', category: 'External analysis', value: linkOf(task), Tag: [INCOMPLETE] })),
	});

	await sweep();

	for (const attributeId of event.attributeIds) expect(await attributeTags(event.id, attributeId)).toEqual([COMPLETE]);
	const names = await eventTagNames(event.id);
	expect(names).toContain('av-cls:trojan');
	expect(names.length).toBeGreaterThan(5);
	expect(new Set(names).size).toBe(names.length);
}, TIMEOUT_MS);

it('a tag name with "_" attaches exactly that tag, not another one SQL LIKE would match', async () => {
	misp = await startMispTarget();
	const decoy = 'misp-galaxy:mitre-attack-pattern="PackingXTool - T1027.999"';
	await seed({ info: 'Decoy', Tag: [decoy] });
	const task = await taskWithResult('tag sample', (document) => {
		document.activity_to_mitre_techniques = {
			...(document.activity_to_mitre_techniques as object),
			'Evasion: packed with an unusual tool': [{ id: 'T1027.999', name: 'Packing_Tool' }],
		};
	});
	const event = await seed({
		info: 'Wildcard in a tag name',
		Attribute: [{ type: 'link', category: 'External analysis', value: linkOf(task), Tag: [INCOMPLETE] }],
	});

	await sweep();

	expect(await attributeTags(event.id, event.attributeIds[0])).toEqual([COMPLETE]);
	const names = await eventTagNames(event.id);
	expect(names).toContain('misp-galaxy:mitre-attack-pattern="Packing_Tool - T1027.999"');
	expect(names).not.toContain(decoy);
}, TIMEOUT_MS);
