/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
/**
 * `npm run simulator -- [options]` (`--help` lists them): starts the ATA simulator on 127.0.0.1 and
 * prints its base URLs, the credentials it accepts and how analyses complete.
 */
import { parseArgs } from 'node:util';

import {
	DEFAULT_COMPLETE_AFTER_MS,
	FIXTURE_FILE_TASK,
	FIXTURE_URL_TASK,
	startAtaSimulator,
	type AtaSimulatorOptions,
} from './index';

type NumericOption = Exclude<
	{
		[K in keyof AtaSimulatorOptions]-?: AtaSimulatorOptions[K] extends number | undefined ? K : never;
	}[keyof AtaSimulatorOptions],
	undefined
>;

const NUMERIC_FLAGS: Array<[flag: string, option: NumericOption, help: string]> = [
	['port', 'port', 'Port on 127.0.0.1 (default 8123; 0 = any free port)'],
	['seed', 'seed', 'Seed for task uuids, reports and spreads (default: random, printed below)'],
	['complete-after-ms', 'completeAfterMs', `Analyses complete this long after submission, polled or not (default ${DEFAULT_COMPLETE_AFTER_MS})`],
	['complete-spread-ms', 'completeSpreadMs', 'Plus up to this much, random per task (default 0)'],
	['poll-counted-completion', 'pollCountedCompletion', 'Not the service: complete after N pending progress/result polls instead of on the clock'],
	['latency-ms', 'latencyMs', 'Delay before every answer'],
	['concurrency-cap', 'concurrencyCap', 'Answer 429 while this many requests are in flight'],
	['completed-page-size', 'completedPageSize', 'Tasks per analysis/completed page (default 100)'],
	['report-size', 'reportSizeBytes', 'Approximate bytes of generated result documents (default 60000)'],
];

const HELP = `Usage: npm run simulator -- [options]

A local NSX ATA (Lastline) Analyst API and Portal API on 127.0.0.1, for trying the nodes and
playbooks without an appliance.

Options:
${NUMERIC_FLAGS.map(([flag, , help]) => `  --${`${flag} N`.padEnd(29)}${help}`).join('\n')}
  --tls                          Serve HTTPS with a certificate signed by a fresh CA (needs openssl)
  --ca-file PATH                 Where --tls writes the CA's PEM (default: a new temporary file)
  -h, --help                     Show this help`;

function completionText(options: AtaSimulatorOptions): string {
	if (options.pollCountedCompletion !== undefined)
		return `after ${options.pollCountedCompletion} pending progress/result polls (--poll-counted-completion, not the service's behaviour)`;
	const after = options.completeAfterMs ?? DEFAULT_COMPLETE_AFTER_MS;
	const spread = options.completeSpreadMs ?? 0;
	return `${after / 1000} s${spread > 0 ? ` + up to ${spread / 1000} s` : ''} after submission, polled or not`;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			...Object.fromEntries(NUMERIC_FLAGS.map(([flag]) => [flag, { type: 'string' as const }])),
			tls: { type: 'boolean' },
			'ca-file': { type: 'string' },
			help: { type: 'boolean', short: 'h' },
		},
	});
	if (values.help) {
		console.log(HELP);
		return;
	}
	const options: AtaSimulatorOptions = { port: 8123 };
	for (const [flag, option] of NUMERIC_FLAGS) {
		const raw = (values as Record<string, unknown>)[flag];
		if (raw === undefined) continue;
		const value = Number(raw);
		if (!Number.isInteger(value) || value < 0)
			throw new Error(`--${flag} needs a non-negative integer, got '${String(raw)}'`);
		options[option] = value;
	}
	const caFile = values['ca-file'];
	if (typeof caFile === 'string' && !values.tls) throw new Error('--ca-file needs --tls');
	if (values.tls) options.tls = typeof caFile === 'string' ? { caFile } : true;
	const simulator = await startAtaSimulator(options);
	const { analyst, portal } = simulator.credentials;
	console.log(`ATA simulator listening (loopback only)
  Analyst API base:  ${simulator.url}            e.g. POST ${simulator.url}/authentication/login.json
  Portal API base:   ${simulator.portalUrl}/papi       e.g. POST ${simulator.portalUrl}/papi/login.json
  Analysis links:    ${simulator.portalUrl}/portal#/analyst/task/<task uuid>/overview
  Analyst login:     key=${analyst.key}  api_token=${analyst.apiToken}   (simulator-only credentials)
  Portal login:      username=${portal.username}  password=${portal.password}
  Completion:        ${completionText(options)}
  Seed:              ${simulator.seed}   (--seed ${simulator.seed} repeats this run's uuids and reports)
  Fixture tasks:     file ${FIXTURE_FILE_TASK}, URL ${FIXTURE_URL_TASK}${
		simulator.caFile
			? `\n  TLS CA:            ${simulator.caFile}   (e.g. NODE_EXTRA_CA_CERTS=${simulator.caFile})`
			: ''
	}
Options: npm run simulator -- --help. Press Ctrl+C to stop.`);
	const stop = () => {
		void simulator.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	console.error('Options: npm run simulator -- --help');
	process.exit(1);
});
