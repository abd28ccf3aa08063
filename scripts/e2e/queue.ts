/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
/**
 * `npm run e2e:queue`: the incomplete sweep at scale in n8n's queue mode (main + two workers,
 * Redis, PostgreSQL) against the same job in a single n8n process, both over 1,000 incomplete
 * analysis links seeded in the MISP simulator.
 *
 * n8n scales out by execution, not by item, so the job is split by MISP event: PARTITIONS copies
 * of the playbook, each limited to one event (`eventid` added to its attribute search) and
 * started by a Webhook instead of the Schedule Trigger (a schedule firing mid-run would add
 * runs). Both set-ups receive the same webhook calls at once; the wall time runs from the first
 * call to the last execution's end. Checks: every attribute ends with exactly one
 * `workflow:state="complete"` tag and no incomplete tag, and every event holds exactly the
 * converter's objects for its analyses, none twice. In queue mode the TheHive playbook then checks
 * that the NSX ATA Trigger's cursor outlives its main process (see `triggerAcrossRestart`).
 *
 * Flags: --skip-build, --keep, --attributes=N (default 1000), --partitions=N (default 20).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { INode } from 'n8n-workflow';

import { COMPLETE, INCOMPLETE, objectCounts, referenceSignatures } from '../../dev/mispState';
import type { MispObject } from '../../nodes/shared/misp/converter';
import { Checks, exitWith } from './checks';
import { analysisLink, e2eCredentials, pastCompletionWindow, type Simulators, startSimulators } from './context';
import { ensureN8n, type N8nInstall } from './install';
import { N8nInstance } from './n8nCli';
import { buildAndPack, installAsCommunityPackage, type PackedPackage } from './packaging';
import { e2ePlaybook, type ImportableWorkflow } from './playbooks';
import { waitFor } from './processes';
import { convertedObjects, mispContent } from './scenarios';
import { N8nServer, ownerEnvironment, type PublicExecution } from './server';
import { ataTimeMinutesAgo, ticketPlaybook } from './serverScenarios';
import { ensureServicePackages, type Service, startPostgres, startRedis } from './services';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const ATTRIBUTES = Number(args.find((arg) => arg.startsWith('--attributes='))?.split('=')[1] ?? 1000);
const PARTITIONS = Number(args.find((arg) => arg.startsWith('--partitions='))?.split('=')[1] ?? 20);
const WORKERS = 2;

interface Partition {
	workflowId: string;
	path: string;
}

/** The sweep limited to one MISP event and started by a webhook. */
function partitionSweep(index: number, eventId: string, mispUrl: string): ImportableWorkflow {
	const workflowId = `nsxQueueSweep${String(index).padStart(3, '0')}`;
	const workflow = e2ePlaybook('incomplete-sweep', { id: workflowId, mode: 'community', mispUrl });
	workflow.name = `${workflow.name} (event ${eventId})`;
	const schedule = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.scheduleTrigger')!;
	const webhook: INode = {
		id: `0e2e0e2e-0000-4000-8000-${String(100 + index).padStart(12, '0')}`,
		name: 'Start sweep (e2e)',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: schedule.position,
		webhookId: `0e2e0e2e-0000-4000-8000-${String(200 + index).padStart(12, '0')}`,
		parameters: { httpMethod: 'POST', path: `nsx-sweep-${index}`, responseMode: 'onReceived', options: {} },
	};
	workflow.nodes = [webhook, ...workflow.nodes.filter((node) => node !== schedule)];
	workflow.connections[webhook.name] = workflow.connections[schedule.name];
	delete workflow.connections[schedule.name];
	const search = workflow.nodes.find((node) => node.name === 'Find incomplete analyses')!;
	const body = JSON.parse(String(search.parameters.jsonOutput)) as Record<string, unknown>;
	search.parameters.jsonOutput = JSON.stringify({ ...body, eventid: eventId }, null, 2);
	return workflow;
}

/** Fresh MISP state: PARTITIONS events sharing the incomplete links of `tasks`. */
function seedMisp(sims: Simulators, tasks: string[]): string[] {
	sims.misp.reset();
	const perEvent = Math.ceil(tasks.length / PARTITIONS);
	return Array.from({ length: PARTITIONS }, (_, p) =>
		sims.misp.createEvent({
			info: `Sweep partition ${p + 1}`,
			Attribute: tasks.slice(p * perEvent, (p + 1) * perEvent).map((task) => ({
				type: 'link',
				category: 'External analysis',
				value: analysisLink(sims.ata, task),
				Tag: [INCOMPLETE],
			})),
		}).id,
	);
}

interface RunResult {
	wallMs: number;
	/** From the executions' own start and stop times. */
	executionSpanMs: number;
	/** Share of the machine's CPU time that was busy during the run (every process, not only n8n). */
	cpuBusy: number;
}

/** Busy and total CPU time of the whole machine so far, from Linux's /proc/stat. */
function machineCpu(): { busy: number; total: number } {
	const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	const total = fields.reduce((sum, value) => sum + value, 0);
	const idle = fields[3] + (fields[4] ?? 0); // idle + iowait
	return { busy: total - idle, total };
}

/**
 * Runs after the timed sweep with the running main; `restartMain` stops it, runs `whileDown`,
 * and starts a new main process on the same database.
 */
type AfterSweep = (main: N8nServer, restartMain: (whileDown: () => Promise<void>) => Promise<N8nServer>) => Promise<void>;

async function runJob(
	label: string,
	install: N8nInstall,
	pkg: PackedPackage,
	sims: Simulators,
	tasks: string[],
	work: string,
	env: NodeJS.ProcessEnv,
	workers: number,
	afterSweep?: { workflows: ImportableWorkflow[]; run: AfterSweep },
): Promise<RunResult> {
	const instance = new N8nInstance(install, { userFolder: join(work, label), env });
	await installAsCommunityPackage(pkg, instance);
	await instance.importCredentials(e2eCredentials(sims));
	const eventIds = seedMisp(sims, tasks);
	const partitions: Partition[] = [];
	for (const [index, eventId] of eventIds.entries()) {
		const workflow = partitionSweep(index, eventId, sims.misp.url);
		await instance.importWorkflow(workflow);
		partitions.push({ workflowId: workflow.id, path: `/webhook/nsx-sweep-${index}` });
	}
	for (const workflow of afterSweep?.workflows ?? []) await instance.importWorkflow(workflow);
	let mains = 0;
	const startMain = async () => {
		mains += 1;
		const logName = `${label}-main${mains > 1 ? `-${mains}` : ''}.log`;
		const server = await N8nServer.start(instance, { env: ownerEnvironment(instance), logName });
		await server.logIn();
		return server;
	};
	let main = await startMain();
	const workerProcesses: N8nServer[] = [];
	try {
		for (let w = 0; w < workers; w++) {
			workerProcesses.push(
				await N8nServer.start(instance, {
					command: 'worker',
					logName: `${label}-worker-${w + 1}.log`,
					httpProbe: false,
					readyLogLine: 'n8n worker is now ready',
				}),
			);
		}
		for (const partition of partitions) {
			await main.activate(partition.workflowId);
			await main.waitForWebhook(partition.path, 'POST');
		}
		const started = Date.now();
		const cpuAtStart = machineCpu();
		const calls = await Promise.all(partitions.map((partition) => main.request('POST', partition.path, {})));
		assert.deepEqual(calls.map((call) => call.status), partitions.map(() => 200));
		const finished = new Map<string, PublicExecution>();
		await waitFor(
			`${label}: ${partitions.length} sweep executions`,
			async () => {
				for (const partition of partitions) {
					const [latest] = await main.executions(partition.workflowId);
					if (latest && latest.status !== 'running' && latest.status !== 'new') {
						finished.set(partition.workflowId, latest);
					}
				}
				return finished.size === partitions.length;
			},
			30 * 60_000,
			500,
		);
		const wallMs = Date.now() - started;
		const cpuAtEnd = machineCpu();
		const cpuBusy = (cpuAtEnd.busy - cpuAtStart.busy) / (cpuAtEnd.total - cpuAtStart.total);
		const runs = [...finished.values()];
		const outcome = (run: PublicExecution) => {
			const error = run.data?.resultData.error;
			return run.status === 'success' ? 'success' : `${run.status}: ${error?.message ?? '?'} (${run.data?.resultData.lastNodeExecuted ?? '?'})`;
		};
		assert.deepEqual(runs.map(outcome), partitions.map(() => 'success'));
		const startedAt = Math.min(...runs.map((run) => Date.parse(run.startedAt)));
		const stoppedAt = Math.max(...runs.map((run) => Date.parse(run.stoppedAt ?? run.startedAt)));
		// Every worker took jobs: each logs the executions it ran.
		for (const worker of workerProcesses) {
			const log = readFileSync(worker.daemon.logFile, 'utf8');
			assert.match(log, /started execution/i, `${worker.daemon.logFile} ran an execution`);
		}
		await afterSweep?.run(main, async (whileDown) => {
			await main.stop();
			await whileDown();
			main = await startMain();
			return main;
		});
		return { wallMs, executionSpanMs: stoppedAt - startedAt, cpuBusy };
	} finally {
		await main.stop();
		await Promise.all(workerProcesses.map((worker) => worker.stop()));
	}
}

const QUEUE_TICKET_ID = 'nsxQueueTicket001';

/**
 * Queue mode: the trigger's cursor lives in the database, not in a process. After polls on one
 * main, a new main process goes on from that cursor: an analysis alerted before is not alerted
 * again, and one completed while no main was running is not missed. The alerts themselves are
 * built on the workers.
 */
function triggerAcrossRestart(sims: Simulators): { workflows: ImportableWorkflow[]; run: AfterSweep } {
	const ticket = ticketPlaybook(QUEUE_TICKET_ID, 'community', sims.misp.url, ataTimeMinutesAgo(0));
	const trigger = ticket.nodes.find((node) => node.type.endsWith('.nsxAtaTrigger'))!;
	trigger.parameters = { ...trigger.parameters, pollTimes: { item: [{ mode: 'everyMinute' }] } };
	return {
		workflows: [ticket],
		run: async (main, restartMain) => {
			const { ata, thehive } = sims;
			const malicious = ata.addTask({ kind: 'file', content: 'queue trigger: before restart', score: 88 });
			ata.addTask({ kind: 'file', content: 'queue trigger: benign', score: 12 });
			await pastCompletionWindow();
			await main.activate(QUEUE_TICKET_ID);
			await waitFor('an alert from the first main', async () => thehive.alerts.length >= 1, 90_000);
			let whileDown = '';
			const next = await restartMain(async () => {
				whileDown = ata.addTask({ kind: 'file', content: 'queue trigger: while down', score: 91 });
				await pastCompletionWindow();
			});
			await waitFor('an alert from the new main', async () => thehive.alerts.length >= 2, 150_000);
			await sleep(1000);
			const alerted = thehive.alerts.map((alert) => String(alert.body.sourceRef)).sort();
			assert.deepEqual(alerted, [malicious, whileDown].sort(), 'each malicious analysis alerted exactly once');
			await next.deactivate(QUEUE_TICKET_ID);
		},
	};
}

/** Every attribute complete exactly once; every event holds exactly its analyses' objects and references. */
function assertSweptOnce(sims: Simulators, tasks: string[], objectsPerTask: Map<string, MispObject[]>) {
	const taskOfLink = new Map(tasks.map((task) => [analysisLink(sims.ata, task), task]));
	for (const stored of sims.misp.events()) {
		const event = stored.Event;
		const links = event.Attribute.filter((candidate) => candidate.type === 'link');
		for (const attribute of links) {
			const tags = (attribute.Tag ?? []).map((tag) => tag.name).sort();
			assert.deepEqual(tags, [COMPLETE], `tags of attribute ${attribute.id}`);
		}
		const expected = mispContent(links.flatMap((attribute) => objectsPerTask.get(taskOfLink.get(attribute.value)!)!));
		assert.deepEqual(objectCounts(sims.misp, event.id), expected.counts, `objects of event ${event.id}`);
		const uuids = event.Object.map((object) => object.uuid);
		assert.equal(new Set(uuids).size, uuids.length, `no object twice in event ${event.id}`);
		assert.deepEqual(referenceSignatures(event.Object), expected.references, `references of event ${event.id}`);
	}
}

async function main(): Promise<number> {
	const checks = new Checks();
	const work = mkdtempSync(join(tmpdir(), 'nsx-ata-queue-'));
	console.log(`n8n queue-mode e2e: ${ATTRIBUTES} attributes, ${PARTITIONS} partitions, ${WORKERS} workers; ${work}`);
	const install = await ensureN8n((line) => console.log(line));
	await ensureServicePackages((line) => console.log(line));
	const pkg = await buildAndPack(join(work, 'pack'), flag('skip-build'));
	const sims = await startSimulators();
	const services: Service[] = [];
	let single: RunResult | undefined;
	let queue: RunResult | undefined;
	try {
		const postgres = await startPostgres(['n8n_single', 'n8n_queue']);
		services.push(postgres);
		const redis = await startRedis(join(work, 'redis'));
		services.push(redis);
		const database = (name: string) => ({
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: name,
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
		});
		const tasks = Array.from({ length: ATTRIBUTES }, (_, i) =>
			sims.ata.addTask({ kind: 'url', url: `https://sweep-${i}.example/`, score: i % 101, reportSizeBytes: 0 }),
		);
		const objectsPerTask = await convertedObjects(sims.ata, tasks);

		await checks.check('single process (regular mode, PostgreSQL): every attribute swept once', async () => {
			single = await runJob('single', install, pkg, sims, tasks, work, database('n8n_single'), 0);
			assertSweptOnce(sims, tasks, objectsPerTask);
		});
		await checks.check(`queue mode (main + ${WORKERS} workers, Redis, PostgreSQL): every attribute swept once; the trigger's cursor carries over to a new main`, async () => {
			const queueEnv = {
				...database('n8n_queue'),
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redis.port),
				OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			};
			queue = await runJob('queue', install, pkg, sims, tasks, work, queueEnv, WORKERS, triggerAcrossRestart(sims));
			assertSweptOnce(sims, tasks, objectsPerTask);
		});
	} finally {
		await sims.close();
		for (const service of services.reverse()) await service.stop();
		if (flag('keep')) console.log(`kept ${work}`);
		else rmSync(work, { recursive: true, force: true });
	}
	const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
	const describe = (run: RunResult) =>
		`${seconds(run.wallMs)} (executions span ${seconds(run.executionSpanMs)}; machine CPU ${Math.round(run.cpuBusy * 100)} % busy)`;
	if (single && queue) {
		console.log(`\nWall time, ${ATTRIBUTES} attributes in ${PARTITIONS} executions, ${cpus().length} CPU cores:`);
		console.log(`  single process: ${describe(single)}`);
		console.log(`  queue mode:     ${describe(queue)}`);
		console.log(`  ratio single/queue: ${(single.wallMs / queue.wallMs).toFixed(2)}`);
	}
	return checks.report();
}

exitWith(main);
