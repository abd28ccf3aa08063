/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
/** `npm run misp-simulator -- [options]`; `--help` lists them. */
import { DEMO_EVENT_INFO, seedDemo } from './demoSeed';
import { OBSERVED_SLOW_MODE, startMispSimulator, type SlowMode } from './index';

const HELP = `MISP simulator (development only): a faithful in-memory MISP REST subset on 127.0.0.1.

Usage: npm run misp-simulator -- [options]

  --port N                  port to listen on (default 8124; 0 = any free port)
  --api-key KEY             key of the seeded org-admin user (40 alphanumerics; default the demo key)
  --templates a,b           object templates the instance has loaded (default: all official ones)
  --no-import-regexps       turn off MISP's stock import regexps (on by default, as on a real MISP)
  --event-distribution N    MISP.default_event_distribution for events/add without one (default 1)
  --slow                    slow mode with the figures of a real MISP 2.5.1: 12 objects/s,
                            150 workers, backlog 511, SYN retries from 1000 ms
  --objects-per-second N    slow mode: objects stored per second (implies --slow)
  --workers N               slow mode: requests served at once (implies --slow)
  --backlog N               slow mode: requests waiting for a worker; more are left un-served
  --syn-retry-ms N          slow mode: first SYN retry of an un-served request (gives up at 127 × N)
  --race-window-ms N        how long a tag-attaching request holds its transaction (default 20)
  --workflow-webhook URL    MISP Workflows: post "Attribute After Save" to this URL
  --seed demo               start with the demo's event: analysis links tagged incomplete
  --ata-portal-url URL      where those links point (default http://127.0.0.1:8123, the ATA
                            simulator's default)
  --help                    print this text
`;

function option(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : undefined;
}

function numberOption(name: string): number | undefined {
	const text = option(name);
	if (text === undefined) return undefined;
	const value = Number(text);
	if (!Number.isFinite(value) || value < 0)
		throw new Error(`--${name} needs a number, got ${text}`);
	return value;
}

function slowModeOption(): SlowMode | undefined {
	const given = {
		objectsPerSecond: numberOption('objects-per-second'),
		workers: numberOption('workers'),
		backlog: numberOption('backlog'),
		synRetryMs: numberOption('syn-retry-ms'),
	};
	const any = Object.values(given).some((v) => v !== undefined);
	if (!any && !process.argv.includes('--slow')) return undefined;
	const slow = { ...OBSERVED_SLOW_MODE };
	for (const [key, value] of Object.entries(given)) {
		if (value !== undefined) slow[key as keyof SlowMode] = value;
	}
	return slow;
}

async function main(): Promise<void> {
	if (process.argv.includes('--help')) {
		console.log(HELP);
		return;
	}
	const templates = option('templates');
	const slowMode = slowModeOption();
	const simulator = await startMispSimulator({
		port: numberOption('port') ?? 8124,
		apiKey: option('api-key'),
		knownTemplates: templates ? templates.split(',').map((name) => ({ name: name.trim() })) : 'all',
		settings: {
			importRegexps: !process.argv.includes('--no-import-regexps'),
			...(option('event-distribution')
				? { defaultEventDistribution: option('event-distribution') }
				: {}),
		},
		slowMode,
		raceWindowMs: numberOption('race-window-ms'),
		workflowWebhook: option('workflow-webhook') ? { url: option('workflow-webhook') as string } : undefined,
	});
	const seed = option('seed');
	if (seed !== undefined && seed !== 'demo')
		throw new Error(`--seed knows only "demo", got ${seed}`);
	const seeded = seed ? seedDemo(simulator, { portalUrl: option('ata-portal-url') }) : undefined;
	const { settings } = simulator;
	console.log(`MISP simulator listening on ${simulator.url}`);
	console.log(`API key (Authorization header): ${simulator.apiKey}`);
	console.log(
		`Knowledge: ${simulator.knowledge.source} (${simulator.knowledge.templates.length} templates); org ORGNAME, user admin@admin.test`,
	);
	console.log(
		`Import regexps: ${settings.importRegexps ? 'on' : 'off'}; default event distribution: ${settings.defaultEventDistribution}; ` +
			(slowMode
				? `slow mode: ${slowMode.objectsPerSecond} objects/s, ${slowMode.workers} workers, backlog ${slowMode.backlog}, SYN retry ${slowMode.synRetryMs} ms`
				: 'slow mode: off'),
	);
	if (seeded) {
		console.log(
			`Seeded event ${seeded.id} "${DEMO_EVENT_INFO}" with ${seeded.links} analysis links`,
		);
	}
	console.log('Options: --help');
	const stop = (): void => {
		void simulator.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
