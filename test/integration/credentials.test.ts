/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
/**
 * The "Test" button of both credentials, run the way n8n's credential tester runs it (the type's
 * own test request, its `authenticate`, its rules) over real HTTP against the ATA simulator.
 */
import { createServer } from 'node:net';

import { testCredential } from '../../dev/engine';
import type { AtaSimulator } from '../../simulator/ata';
import { expectNoCredentialsInUrls, expectNoSecrets, SECRETS, startSimulator } from '../support/ataClients';

let sim: AtaSimulator;
const messages: string[] = [];

beforeAll(async () => {
	sim = await startSimulator();
});
afterEach(() => {
	expectNoCredentialsInUrls(sim);
	sim.reset();
});
afterAll(async () => {
	expectNoSecrets(messages);
	await sim.close();
});

async function test(type: string, data: Record<string, unknown>) {
	const result = await testCredential(type, data);
	messages.push(result.message);
	return result;
}

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

const analyst = (overrides: Record<string, unknown> = {}) => ({
	environment: 'onPremise',
	baseUrl: sim.url,
	apiKey: SECRETS.key,
	apiToken: SECRETS.apiToken,
	...overrides,
});
const portal = (overrides: Record<string, unknown> = {}) => ({
	portalUrl: sim.portalUrl,
	username: SECRETS.username,
	password: SECRETS.password,
	...overrides,
});

describe('NSX ATA Analyst API credential', () => {
	it('logs in for real with a form body', async () => {
		expect(await test('nsxAtaAnalystApi', analyst())).toMatchObject({ status: 'OK' });
		const [login] = sim.requests;
		expect(login).toMatchObject({ route: 'authentication/login', method: 'POST', bodyKind: 'urlencoded', query: {} });
		expect(Object.keys(login.fields).sort()).toEqual(['api_token', 'key']);
	});

	it('reports a wrong token in the node\'s words', async () => {
		const result = await test('nsxAtaAnalystApi', analyst({ apiToken: 'wrong' }));
		expect(result).toEqual({
			status: 'Error',
			message:
				'ATA error 104: Invalid Credentials. Check the API key and API token in the NSX ATA Analyst API credential.',
		});
	});

	it('reports a refused connection in the node\'s words', async () => {
		const result = await test('nsxAtaAnalystApi', analyst({ baseUrl: `http://127.0.0.1:${await closedPort()}` }));
		expect(result).toEqual({
			status: 'Error',
			message:
				'The ATA server refused the connection. Check the base URL and that the ATA server is running.',
		});
	});

	it('reports an unknown host in the node\'s words', async () => {
		const result = await test('nsxAtaAnalystApi', analyst({ baseUrl: 'https://nsx-ata.invalid' }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^The ATA server could not be reached: its host name is unknown\. Check the base URL and the network path to the ATA server\.$/,
		);
	});

	it.each([
		['http://ata.example.com', 'The base URL must use https:// (plain http is only accepted for localhost)'],
		['https://user:pass@ata.example.com', 'The base URL must not contain a user name or password'],
		['ata.example.com', 'The base URL "ata.example.com" is not a valid URL'],
	])('applies the node\'s rules to the base URL %s, before any request', async (baseUrl, message) => {
		const result = await test('nsxAtaAnalystApi', analyst({ baseUrl }));
		expect(result.status).toBe('Error');
		expect(result.message.startsWith(message)).toBe(true);
		expect(sim.requests).toEqual([]);
	});
});

describe('NSX ATA Portal API credential', () => {
	it('logs in for real', async () => {
		expect(await test('nsxAtaPortalApi', portal())).toMatchObject({ status: 'OK' });
		expect(sim.requests[0]).toMatchObject({ route: 'papi/login', method: 'POST' });
	});

	it('reports a wrong password in the node\'s words', async () => {
		const result = await test('nsxAtaPortalApi', portal({ password: 'wrong' }));
		expect(result).toEqual({
			status: 'Error',
			message:
				'ATA error 3004: Authentication Error. Check the username and password in the NSX ATA Portal credential.',
		});
	});

	it('reports an unreachable portal in the node\'s words', async () => {
		const result = await test('nsxAtaPortalApi', portal({ portalUrl: `http://127.0.0.1:${await closedPort()}` }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^The ATA server refused the connection\. Check the base URL/);
	});

	it('applies the node\'s https rule to the portal URL, before any request', async () => {
		const result = await test('nsxAtaPortalApi', portal({ portalUrl: 'http://portal.example.com' }));
		expect(result.message).toMatch(/^The portal URL must use https:\/\//);
		expect(sim.requests).toEqual([]);
	});
});
