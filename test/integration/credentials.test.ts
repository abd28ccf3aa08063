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

	it('reports a wrong token clearly', async () => {
		const result = await test('nsxAtaAnalystApi', analyst({ apiToken: 'wrong' }));
		expect(result).toEqual({ status: 'Error', message: 'ATA refused the login: check the API key and API token' });
	});

	it('reports an unreachable host', async () => {
		const result = await test('nsxAtaAnalystApi', analyst({ baseUrl: `http://127.0.0.1:${await closedPort()}` }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/ECONNREFUSED|refused/i);
	});
});

describe('NSX ATA Portal API credential', () => {
	it('logs in for real', async () => {
		expect(await test('nsxAtaPortalApi', portal())).toMatchObject({ status: 'OK' });
		expect(sim.requests[0]).toMatchObject({ route: 'papi/login', method: 'POST' });
	});

	it('reports a wrong password clearly', async () => {
		const result = await test('nsxAtaPortalApi', portal({ password: 'wrong' }));
		expect(result).toEqual({ status: 'Error', message: 'ATA refused the login: check the username and password' });
	});

	it('reports an unreachable portal', async () => {
		const result = await test('nsxAtaPortalApi', portal({ portalUrl: `http://127.0.0.1:${await closedPort()}` }));
		expect(result.status).toBe('Error');
	});
});
