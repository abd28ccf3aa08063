/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
/**
 * `npm run simulator -- --port 8123 [--seed N] [--complete-after-polls N] [--complete-after-ms MS]
 *  [--latency-ms MS] [--concurrency-cap N] [--completed-page-size N] [--report-size BYTES]`
 * Starts the ATA simulator on 127.0.0.1 and prints its base URLs and the credentials it accepts.
 */
import { parseArgs } from 'node:util';

import {
	FIXTURE_FILE_TASK,
	FIXTURE_URL_TASK,
	startAtaSimulator,
	type AtaSimulatorOptions,
} from './index';

const NUMERIC_FLAGS = {
	port: 'port',
	seed: 'seed',
	'complete-after-polls': 'completeAfterPolls',
	'complete-after-ms': 'completeAfterMs',
	'latency-ms': 'latencyMs',
	'concurrency-cap': 'concurrencyCap',
	'completed-page-size': 'completedPageSize',
	'report-size': 'reportSizeBytes',
} as const satisfies Record<string, keyof AtaSimulatorOptions>;

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: Object.fromEntries(
			Object.keys(NUMERIC_FLAGS).map((flag) => [flag, { type: 'string' as const }]),
		),
	});
	const options: AtaSimulatorOptions = { port: 8123 };
	for (const [flag, option] of Object.entries(NUMERIC_FLAGS)) {
		const raw = values[flag];
		if (raw === undefined) continue;
		const value = Number(raw);
		if (!Number.isInteger(value) || value < 0)
			throw new Error(`--${flag} needs a non-negative integer, got '${String(raw)}'`);
		options[option] = value;
	}
	const simulator = await startAtaSimulator(options);
	const { analyst, portal } = simulator.credentials;
	console.log(`ATA simulator listening (loopback only)
  Analyst API base:  ${simulator.url}            e.g. POST ${simulator.url}/authentication/login.json
  Portal API base:   ${simulator.portalUrl}/papi       e.g. POST ${simulator.portalUrl}/papi/login.json
  Analysis links:    ${simulator.portalUrl}/portal#/analyst/task/<task uuid>/overview
  Analyst login:     key=${analyst.key}  api_token=${analyst.apiToken}   (simulator-only credentials)
  Portal login:      username=${portal.username}  password=${portal.password}
  Fixture tasks:     file ${FIXTURE_FILE_TASK}, URL ${FIXTURE_URL_TASK}
Press Ctrl+C to stop.`);
	const stop = () => {
		void simulator.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
