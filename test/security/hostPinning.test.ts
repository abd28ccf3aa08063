/**
 * Credential host pinning: analysis links and base URLs that try to send the credentials (or the
 * session) elsewhere never cause a request to any host but the configured one. A second loopback
 * server stands in for the attacker and must record zero requests.
 */
import type { IDataObject } from 'n8n-workflow';

import { analystTransport, portalTransport } from '../../dev/undiciTransport';
import { testCredential } from '../../dev/engine';
import { AnalystApiClient } from '../../nodes/shared/ata/analystApi';
import { parseBaseUrl } from '../../nodes/shared/ata/baseUrls';
import { AtaError } from '../../nodes/shared/ata/errors';
import { taskUuidFromLink } from '../../nodes/shared/ata/links';
import { PortalApiClient } from '../../nodes/shared/ata/portalApi';
import { type AtaSimulator, FIXTURE_FILE_TASK } from '../../simulator/ata';
import { expectNoSecrets, FAST_RETRIES, SECRETS, startSimulator } from '../support/ataClients';
import { ataCredentials, nodeOutput, runNsxAta } from '../support/nodeRuns';
import { type LoopbackServer, startLoopbackServer, startRedirector } from './recordingServer';

let sim: AtaSimulator;
let attacker: LoopbackServer;
const texts: string[] = [];

beforeAll(async () => {
	sim = await startSimulator();
	attacker = await startLoopbackServer();
});
afterEach(() => {
	// The attacker never sees anything, credentialed or not.
	expect(attacker.requests).toEqual([]);
	sim.reset();
});
afterAll(async () => {
	expectNoSecrets(texts);
	await Promise.all([sim.close(), attacker.close()]);
});

const task = FIXTURE_FILE_TASK;
const fragment = `/portal#/analyst/task/${task}/overview`;

describe('analysis links in items (Query through the engine)', () => {
	const simPort = () => new URL(sim.url).port;
	const hostile: Array<[string, () => string]> = [
		['the attacker host', () => `${attacker.url}${fragment}`],
		['a look-alike host', () => `http://127.0.0.1.nip.io:${simPort()}${fragment}`],
		['user-info hiding the attacker', () => `http://127.0.0.1:${simPort()}@127.0.0.1:${attacker.port}${fragment}`],
		['user-info on the configured host', () => `http://user:pass@127.0.0.1:${simPort()}${fragment}`],
		['another scheme', () => `https://127.0.0.1:${simPort()}${fragment}`],
		['an IDN homograph of the host (Arabic-Indic digit)', () => `http://127.0.0.\u0661:${simPort()}${fragment}`],
		['the configured host on another port', () => `http://127.0.0.1:${attacker.port}${fragment}`],
		['a protocol-relative link', () => `//127.0.0.1:${attacker.port}${fragment}`],
		['a backslash trick', () => `http://127.0.0.1:${attacker.port}\\@127.0.0.1:${simPort()}${fragment}`],
	];

	it('refuses each hostile link before any request; only the good link reaches the configured host', async () => {
		const links = [...hostile.map(([, make]) => make()), `${sim.portalUrl}${fragment}`];
		const result = await runNsxAta(sim, 'nsx-ata-query.json', {
			continueOnFail: true,
			items: links.map((value) => ({ json: { value } })),
		});
		const items = nodeOutput(result);
		texts.push(JSON.stringify(items));
		expect(items).toHaveLength(links.length);
		items.slice(0, hostile.length).forEach((item: IDataObject, index) => {
			expect({ case: hostile[index][0], error: typeof item.error }).toEqual({ case: hostile[index][0], error: 'string' });
		});
		expect(items[hostile.length]).toMatchObject({ taskUuid: task, status: 'complete' });
		// One query of the good link; the hostile ones sent nothing anywhere.
		expect(sim.requests.filter((r) => r.route === 'analysis/get_progress')).toHaveLength(1);
	});

	it('refuses look-alikes of the hosted portals, downgrades and homographs (parser level)', () => {
		const hosted = new URL('https://user.lastline.com');
		const refused = [
			`https://user.lastline.com.evil.example${fragment}`,
			`https://evil-user.lastline.com${fragment}`,
			`http://user.lastline.com${fragment}`,
			`https://us\u0435r.lastline.com${fragment}`, // Cyrillic е
			`https://user.lastline.com@evil.example${fragment}`,
			`https://user.lastline.com:8443${fragment}`,
		];
		for (const link of refused) {
			expect(() => taskUuidFromLink(link, hosted)).toThrow(AtaError);
		}
		// Full-width letters are the same host after IDNA mapping, so they name the configured portal.
		expect(taskUuidFromLink(`https://\uff55\uff53\uff45\uff52.lastline.com${fragment}`, hosted)).toBe(task);
	});
});

describe('base URLs', () => {
	it.each([
		['plain http to a non-loopback host', 'http://ata.example.com'],
		['user-info', `http://user:pass@127.0.0.1:1`],
		['a query', 'https://ata.example.com/?next=http://evil.example'],
	])('refuses %s before any request', (_, url) => {
		expect(() => parseBaseUrl(url, 'base URL')).toThrow(/base URL/);
	});
});

describe('a login answered with a redirect to the attacker', () => {
	const STATUSES = [301, 302, 303, 307, 308];
	let redirectors: Map<number, LoopbackServer>;

	beforeAll(async () => {
		redirectors = new Map();
		for (const status of STATUSES) redirectors.set(status, await startRedirector(attacker.url, status));
	});
	afterAll(async () => {
		await Promise.all([...redirectors.values()].map((server) => server.close()));
	});

	it.each(STATUSES)('%i: the node in the engine does not follow it', async (status) => {
		const redirector = redirectors.get(status)!;
		const result = await runNsxAta(sim, 'nsx-ata-submit-url.json', {
			continueOnFail: true,
			items: [{ json: { url: 'https://x.example/' } }],
			credentials: ataCredentials(sim, { baseUrl: redirector.url }),
		});
		const [item] = nodeOutput(result);
		texts.push(JSON.stringify(item));
		expect(String(item.error)).toMatch(new RegExp(`HTTP ${status}|login|JSON`, 'i'));
		expect(redirector.requests.map((r) => r.url)).toEqual(['/authentication/login.json']);
	});

	it.each(STATUSES)('%i: the client with the undici transport does not follow it', async (status) => {
		const redirector = redirectors.get(status)!;
		redirector.requests.length = 0;
		const analyst = new AnalystApiClient({
			base: parseBaseUrl(redirector.url, 'base URL'),
			request: analystTransport({ environment: 'onPremise', baseUrl: redirector.url, apiKey: SECRETS.key, apiToken: SECRETS.apiToken }),
			retryPolicy: FAST_RETRIES,
		});
		const portal = new PortalApiClient({
			base: parseBaseUrl(redirector.url, 'portal URL'),
			request: portalTransport({ portalUrl: redirector.url, username: SECRETS.username, password: SECRETS.password }),
			retryPolicy: FAST_RETRIES,
		});
		for (const client of [analyst, portal]) {
			await expect(client.getProgress(task)).rejects.toBeInstanceOf(AtaError);
		}
		expect(redirector.requests.map((r) => r.url)).toEqual(['/authentication/login.json', '/papi/login.json']);
	});

	it.each(STATUSES)('%i: the credential tests (Test button) do not follow it', async (status) => {
		const redirector = redirectors.get(status)!;
		const analyst = await testCredential('nsxAtaAnalystApi', {
			environment: 'onPremise',
			baseUrl: redirector.url,
			apiKey: SECRETS.key,
			apiToken: SECRETS.apiToken,
			ignoreSslIssues: false,
		});
		const portal = await testCredential('nsxAtaPortalApi', {
			portalUrl: redirector.url,
			username: SECRETS.username,
			password: SECRETS.password,
			ignoreSslIssues: false,
		});
		texts.push(JSON.stringify([analyst, portal]));
		expect([analyst.status, portal.status]).toEqual(['Error', 'Error']);
	});
});
