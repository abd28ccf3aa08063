/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * No secret anywhere: the ATA fault matrix (on the calls and on the logins, Analyst and Portal
 * credentials), wrong credentials and the MISP sweep under faults run with distinctive per-run
 * credential values (SECRETS, a random MISP key) and n8n's logging turned up to debug. Every
 * output item, error message and description, every captured console / stdout / stderr line and
 * every URL both simulators recorded is scanned: zero hits, and no session cookie value either.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

import type * as Config from '@n8n/config';

import { Container } from '../../dev/engine/container';
import { runWorkflow } from '../../dev/engine';
import { SESSION_COOKIES, type AtaSimulator } from '../../simulator/ata';
import { type MispSimulator, startMispSimulator } from '../../simulator/misp';
import { ATA_FAULTS, batchUrls, queryBatch, submitBatch } from '../faults/ataFaultCases';
import { SECRETS, startSimulator } from '../support/ataClients';
import { ataCredentials } from '../support/nodeRuns';
import { INCOMPLETE, loadPlaybook, playbookCredentials } from '../support/playbooks';

const MISP_KEY = randomBytes(20).toString('hex');
const captured: string[] = [];
const texts: string[] = [];
let ata: AtaSimulator;
let misp: MispSimulator;
const restore: Array<() => void> = [];

function capture<T extends object>(target: T, method: keyof T): void {
	const original = target[method];
	(target as Record<keyof T, unknown>)[method] = (...args: unknown[]) => {
		captured.push(args.map((arg) => (typeof arg === 'string' ? arg : safeJson(arg))).join(' '));
		return true;
	};
	restore.push(() => ((target as Record<keyof T, unknown>)[method] = original));
}

function safeJson(value: unknown): string {
	if (value instanceof Error) return `${value.message}\n${value.stack ?? ''}\n${safeJson({ ...value })}`;
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

beforeAll(async () => {
	// n8n's own logger at debug, so whatever it would log about failing nodes is scanned too.
	const requireFromCore = createRequire(require.resolve('n8n-core/package.json'));
	const config = requireFromCore('@n8n/config') as typeof Config;
	Container.get(config.GlobalConfig).logging.level = 'debug';
	// n8n-core's logger instance itself: every message with its metadata, before any transport.
	const { Logger } = requireFromCore('@n8n/backend-common') as { Logger: new (...args: never[]) => object };
	const logger = Container.get(Logger as never) as Record<string, unknown>;
	for (const level of ['error', 'warn', 'info', 'debug']) {
		const original = logger[level] as (message: string, meta?: object) => void;
		// Captured instead of printed: at debug level the engine logs every node step.
		logger[level] = (message: string, meta?: object) => void captured.push(`${message} ${safeJson(meta)}`);
		restore.push(() => (logger[level] = original));
	}
	for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) capture(console, method);
	capture(process.stdout, 'write');
	capture(process.stderr, 'write');
	ata = await startSimulator({ reportSizeBytes: 3000 });
	misp = await startMispSimulator({ apiKey: MISP_KEY });
});
afterEach(() => {
	expect(ata.requestsWithCredentialsInUrl()).toEqual([]);
	texts.push(...ata.requests.map((request) => request.path), ...misp.requests.map((request) => request.path));
	ata.reset();
	misp.reset();
});
afterAll(async () => {
	for (const undo of restore.reverse()) undo();
	await Promise.all([ata.close(), misp.close()]);
});

describe.each(ATA_FAULTS)('$name', ({ fault }) => {
	it.each(['analysis/submit/url', 'authentication/login'])('on %s, submitting 40 URLs', async (route) => {
		ata.injectFault({ route, ...fault });
		texts.push(...(await submitBatch(ata, batchUrls(`secrets-${route}`, 40), false)).texts);
	});

	it.each(['papi/analysis/get_result', 'papi/login'])('on %s, querying 20 links with the Portal credential', async (route) => {
		const links = Array.from({ length: 20 }, (_, i) => {
			const task = ata.addTask({ kind: 'url', url: `https://portal.example/${i}` });
			return `${ata.portalUrl}/portal#/analyst/task/${task}/overview`;
		});
		ata.injectFault({ route, ...fault });
		texts.push(...(await queryBatch(ata, links, { parameters: { authentication: 'portalApi', analysisLink: '={{ $json.value }}' } })).texts);
	});
});

it('wrong credentials fail without echoing them', async () => {
	const wrong = ataCredentials(ata, { apiKey: `${SECRETS.key}-wrong`, apiToken: `${SECRETS.apiToken}-wrong` });
	const outcome = await submitBatch(ata, batchUrls('wrong', 3), false, { credentials: wrong });
	texts.push(...outcome.texts);
	expect(String(outcome.items[0].json.error)).toMatch(/104|credential/i);
});

it('the sweep with MISP failing on every kind of call', async () => {
	const link = `${ata.portalUrl}/portal#/analyst/task/${ata.addTask({ kind: 'url', url: 'https://s.example/' })}/overview`;
	misp.createEvent({ info: 'e', Attribute: [{ type: 'link', category: 'External analysis', value: link, Tag: [INCOMPLETE] }] });
	for (const kind of ['http403', 'http404', 'http500', 'reset'] as const) {
		misp.injectFault({ route: /./, kind, rate: 0.3 });
		const result = await runWorkflow(loadPlaybook('incomplete-sweep', misp), { credentials: playbookCredentials(ata, misp) });
		texts.push(safeJson(result.error), safeJson(result.runData));
		misp.clearFaults();
	}
});

it('leaves no secret in any output, error, log line or recorded URL', () => {
	// The capture works: n8n's logger wrote lines (node errors among them).
	expect(captured.filter((line) => /NSX ATA/.test(line)).length).toBeGreaterThan(0);
	expect(texts.length).toBeGreaterThan(1000);
	const scanned = [...texts, ...captured];
	const secrets = [...Object.values(SECRETS), MISP_KEY, `${SESSION_COOKIES.analyst}=`, `${SESSION_COOKIES.portal}=`];
	for (const secret of secrets) {
		const hits = scanned.filter((text) => text.includes(secret));
		expect({ secret: secret.slice(0, 12), hits: hits.length }).toEqual({ secret: secret.slice(0, 12), hits: 0 });
	}
});
