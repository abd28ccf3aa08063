/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
/**
 * `npm run demo [-- --json <file>]`: the package's main job on the built-in simulators.
 * Starts the ATA and MISP simulators on loopback, seeds MISP with an event whose analysis links
 * are tagged incomplete, and runs playbooks 1–3 from examples/ through n8n's real execution engine.
 * First act: a sample and a URL tagged for submission go through playbook 5 and the sweep (demoChain.ts).
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import { runWorkflow, type RunResult } from '../dev/engine';
import { loadPlaybook, playbookCredentials, withNodeParameters } from '../dev/playbooks';
import { FIXTURE_FILE_TASK, startAtaSimulator } from '../simulator/ata';
import { type StoredEventJson, startMispSimulator } from '../simulator/misp';
import { seedDemo } from '../simulator/misp/demoSeed';
import { submissionChain } from './demoChain';

const INCOMPLETE = 'workflow:state="incomplete"';
const NSX_ATA = 'n8n-nodes-nsx-ata.nsxAta';

interface PlaybookSummary {
	playbook: string;
	seconds: number;
	status: string;
	completedAttributes: string[];
	leftIncomplete: string[];
	events: Array<{ id: string; info: string; objects: Record<string, number>; references: number; tags: string[] }>;
	notes: string[];
}

const say = (text: string) => console.log(text);

function jsonArgument(): string | undefined {
	const index = process.argv.indexOf('--json');
	return index === -1 ? undefined : process.argv[index + 1];
}

function eventSummary(event: StoredEventJson['Event']): PlaybookSummary['events'][number] {
	const objects: Record<string, number> = {};
	for (const object of event.Object) objects[object.name] = (objects[object.name] ?? 0) + 1;
	const references = event.Object.reduce((sum, object) => sum + object.ObjectReference.length, 0);
	return { id: event.id, info: event.info, objects, references, tags: event.Tag.map((tag) => tag.name) };
}

function attributeStates(event: StoredEventJson['Event']): Map<string, string[]> {
	return new Map(event.Attribute.map((a) => [a.value, (a.Tag ?? []).map((tag) => tag.name)]));
}

async function timed(run: () => Promise<RunResult>): Promise<[RunResult, number]> {
	const started = performance.now();
	const result = await run();
	return [result, (performance.now() - started) / 1000];
}

async function main(): Promise<void> {
	const started = performance.now();
	say('Starting the NSX ATA and MISP simulators on 127.0.0.1 …');
	const ata = await startAtaSimulator({ completeAfterMs: 1500, seed: 1 }); // seeded: the same output every run
	const misp = await startMispSimulator();
	const endpoints = { ata, misp };
	const credentials = playbookCredentials(endpoints);
	const link = (taskUuid: string, portal = ata.portalUrl) => `${portal}/portal#/analyst/task/${taskUuid}/overview`;
	const summaries: PlaybookSummary[] = [];
	try {
		const chain = await submissionChain(misp, credentials, 2, say);
		summaries.push({ ...chain, completedAttributes: [], leftIncomplete: [], events: chain.events.map((e) => eventSummary(misp.getEvent(e.id)!.Event)) });

		// Submitted "in an hour" on the simulator's clock: it is still running throughout the demo.
		const pending = ata.addTask({
			kind: 'url',
			url: 'https://still-running.example/',
			state: 'pending',
			submittedAt: Date.now() + 3_600_000,
		});
		const seeded = seedDemo(misp, { portalUrl: ata.portalUrl, pendingTask: pending });
		say(`Seeded MISP event ${seeded.id} with ${seeded.links} analysis links tagged ${INCOMPLETE}.\n`);

		say('Playbook 1 — incomplete sweep (Schedule → MISP search → NSX ATA Query → objects/add → tags) …');
		const before = attributeStates(misp.getEvent(seeded.id)!.Event);
		const [sweep, sweepSeconds] = await timed(() =>
			runWorkflow(loadPlaybook('incomplete-sweep', misp.url), { credentials }),
		);
		const afterEvent = misp.getEvent(seeded.id)!.Event;
		const after = attributeStates(afterEvent);
		const completed = [...after].filter(([value, tags]) => before.get(value)?.includes(INCOMPLETE) && !tags.includes(INCOMPLETE)).map(([value]) => value);
		const left = [...after].filter(([, tags]) => tags.includes(INCOMPLETE)).map(([value]) => value);
		const problems = sweep.output('Could not query').map((item) => String(item.json.error));
		summaries.push({
			playbook: 'incomplete-sweep',
			seconds: sweepSeconds,
			status: sweep.status,
			completedAttributes: completed,
			leftIncomplete: left,
			events: [eventSummary(afterEvent)],
			notes: [
				...sweep.output('Still running (next run)').map((item) => `still running, retried next run: ${String(item.json.analysisLink)}`),
				...problems.map((problem) => `reported and left alone: ${problem}`),
			],
		});
		say(`  ${completed.length} attributes went incomplete → complete, ${left.length} stay incomplete (${sweepSeconds.toFixed(1)} s).`);
		const [, rerunSeconds] = await timed(() => runWorkflow(loadPlaybook('incomplete-sweep', misp.url), { credentials }));
		const unchanged = eventSummary(misp.getEvent(seeded.id)!.Event);
		const same = JSON.stringify(unchanged) === JSON.stringify(eventSummary(afterEvent));
		say(`  Ran it again: ${same ? 'nothing added twice' : 'OBJECTS CHANGED'} (${rerunSeconds.toFixed(1)} s).\n`);

		say('Playbook 2 — submit and enrich (Webhook → Submit URL with wait → events/add → respond) …');
		const submitFlow = withNodeParameters(loadPlaybook('submit-and-enrich', misp.url), NSX_ATA, {
			pollIntervalSeconds: 1,
			maxWaitSeconds: 20,
		});
		const [submit, submitSeconds] = await timed(() =>
			runWorkflow(submitFlow, {
				credentials,
				triggerItems: [{ json: { headers: {}, params: {}, query: {}, body: { url: 'https://invoice-portal.example.net/pay' } } }],
			}),
		);
		const answer = submit.responses[0]?.body as { eventId?: string; status?: string } | undefined;
		const submitEvent = answer?.eventId ? misp.getEvent(answer.eventId)?.Event : undefined;
		summaries.push({
			playbook: 'submit-and-enrich',
			seconds: submitSeconds,
			status: submit.status,
			completedAttributes: [],
			leftIncomplete: [],
			events: submitEvent ? [eventSummary(submitEvent)] : [],
			notes: [`webhook answered ${JSON.stringify(answer)}`],
		});
		say(`  Webhook answered ${JSON.stringify(answer)} (${submitSeconds.toFixed(1)} s).\n`);

		say('Playbook 3 — import by link (Form → NSX ATA Import → events/add) …');
		const [imported, importSeconds] = await timed(() =>
			runWorkflow(loadPlaybook('import-by-link', misp.url), {
				credentials,
				triggerItems: [{ json: { 'Analysis link': link(FIXTURE_FILE_TASK) } }],
			}),
		);
		const importedEvent = misp.events().map((e) => e.Event).find((e) => e.info.includes('NSX ATA analysis of') && e.id !== submitEvent?.id);
		summaries.push({
			playbook: 'import-by-link',
			seconds: importSeconds,
			status: imported.status,
			completedAttributes: [],
			leftIncomplete: [],
			events: importedEvent ? [eventSummary(importedEvent)] : [],
			notes: [],
		});
		say(`  Created event ${importedEvent?.id ?? '?'} (${importSeconds.toFixed(1)} s).\n`);

		printSummary(summaries, (performance.now() - started) / 1000);
		const file = jsonArgument();
		if (file) {
			writeFileSync(file, JSON.stringify({ summaries, events: misp.events() }, null, 2));
			say(`Wrote the summary and the final MISP events to ${file}.`);
		}
		if (summaries.some((summary) => summary.status !== 'success')) process.exitCode = 1;
	} finally {
		await Promise.all([ata.close(), misp.close()]);
	}
}

function printSummary(summaries: PlaybookSummary[], totalSeconds: number): void {
	say('Summary');
	say('=======');
	for (const summary of summaries) {
		say(`${summary.playbook}: ${summary.status} in ${summary.seconds.toFixed(1)} s`);
		for (const value of summary.completedAttributes) say(`  incomplete → complete: ${value}`);
		for (const value of summary.leftIncomplete) say(`  still incomplete:      ${value}`);
		for (const event of summary.events) {
			const objects = Object.entries(event.objects).map(([name, count]) => `${count} ${name}`).join(', ');
			say(`  event ${event.id} "${event.info}": ${objects || 'no objects'}; ${event.references} object references`);
			if (event.tags.length > 0) say(`    tags: ${event.tags.join(', ')}`);
		}
		for (const note of summary.notes) say(`  note: ${note}`);
	}
	say(`Total ${totalSeconds.toFixed(1)} s.`);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
