/**
 * n8n's own HTTP Request node with the NSX ATA credentials ("Predefined Credential Type"), through
 * n8n's execution engine over real HTTP: the credential logs in by itself (pre-authentication,
 * secrets only in the login form), sends the session as the cookie to the configured host only,
 * reuses the stored session, and logs in again when ATA answers HTTP 401. This is what n8n's
 * "Custom API Call" entry sends users to, for endpoints the NSX ATA node does not cover.
 */
import type { EngineCredential } from '../../dev/engine';
import { runWorkflow } from '../../dev/engine';
import type { AtaSimulator } from '../../simulator/ata';
import { LoopbackServer } from '../engine/loopbackServer';
import { chain, manualTrigger, workflow } from '../engine/workflowBuilder';
import { expectNoCredentialsInUrls, expectNoSecrets, SECRETS, startSimulator } from '../support/ataClients';

const httpRequest = (credentialType: string, url: string) =>
	workflow(
		'custom ATA call',
		[
			manualTrigger,
			{
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: { url, authentication: 'predefinedCredentialType', nodeCredentialType: credentialType, options: {} },
				credentials: { [credentialType]: { id: 'ata', name: 'NSX ATA' } },
			},
		],
		chain('Start', 'HTTP Request'),
	);

let sim: AtaSimulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterEach(() => {
	expectNoCredentialsInUrls(sim);
	sim.reset();
});
afterAll(async () => {
	await sim.close();
});

describe('HTTP Request node with the NSX ATA Analyst API credential', () => {
	const analyst = (): EngineCredential => ({
		id: 'ata',
		name: 'NSX ATA',
		type: 'nsxAtaAnalystApi',
		data: { environment: 'onPremise', baseUrl: sim.url, apiKey: SECRETS.key, apiToken: SECRETS.apiToken },
	});
	// analysis/get_completed: an Analyst API endpoint the NSX ATA node does not use.
	const uncovered = () => `${sim.url}/analysis/get_completed.json?after=2020-01-01%2000:00:00`;

	it('calls an endpoint the node does not cover, logged in by the credential', async () => {
		const credential = analyst();
		const result = await runWorkflow(httpRequest('nsxAtaAnalystApi', uncovered()), { credentials: [credential] });

		expect(result.error).toBeUndefined();
		expect(result.output('HTTP Request')[0].json).toMatchObject({ success: 1, data: { tasks: expect.any(Array) } });
		const [login, call] = sim.requests;
		expect(login).toMatchObject({ route: 'authentication/login', method: 'POST', bodyKind: 'urlencoded', query: {} });
		expect(call).toMatchObject({ route: 'analysis/get_completed', method: 'GET' });
		expect(call.cookieNames.length).toBeGreaterThan(0);
		expect(sim.requests).toHaveLength(2);
		// The session is stored with the credential (n8n's database), never the secrets in a URL.
		expect(credential.data.session).toEqual(expect.stringContaining('='));
		expectNoSecrets([JSON.stringify(result.output('HTTP Request'))]);
	});

	it('reuses the stored session in the next execution, without logging in again', async () => {
		const credential = analyst();
		await runWorkflow(httpRequest('nsxAtaAnalystApi', uncovered()), { credentials: [credential] });
		const before = sim.requests.length;
		const second = await runWorkflow(httpRequest('nsxAtaAnalystApi', uncovered()), { credentials: [credential] });
		expect(second.output('HTTP Request')[0].json).toMatchObject({ success: 1 });
		expect(sim.requests.slice(before).map((request) => request.route)).toEqual(['analysis/get_completed']);
	});

	it('sends neither session nor secrets to another host', async () => {
		const other = await new LoopbackServer().start();
		try {
			other.json('GET /anything', { ok: true });
			const credential = analyst();
			const result = await runWorkflow(httpRequest('nsxAtaAnalystApi', `${other.baseUrl}/anything`), {
				credentials: [credential],
			});
			expect(result.error).toBeUndefined();
			expect(other.requests).toHaveLength(1);
			expect(other.requests[0].headers.cookie).toBeUndefined();
			expectNoSecrets([JSON.stringify(other.requests[0].headers), other.requests[0].body.toString()]);
		} finally {
			await other.stop();
		}
	});
});

describe('HTTP Request node with the NSX ATA Portal API credential', () => {
	it('calls a Portal API endpoint logged in by the credential', async () => {
		const credential: EngineCredential = {
			id: 'ata',
			name: 'NSX ATA',
			type: 'nsxAtaPortalApi',
			data: { portalUrl: sim.portalUrl, username: SECRETS.username, password: SECRETS.password },
		};
		const result = await runWorkflow(
			httpRequest('nsxAtaPortalApi', `${sim.portalUrl}/papi/analysis/get_progress.json?uuid=${'0'.repeat(32)}`),
			{ credentials: [credential] },
		);
		expect(result.error).toBeUndefined();
		expect(sim.requests.map((request) => request.route)).toEqual(['papi/login', 'papi/analysis/get_progress']);
		expect(sim.requests[1].cookieNames.length).toBeGreaterThan(0);
		// Logged in: whatever ATA says about this uuid, it is not "authentication required".
		expect(result.output('HTTP Request')[0].json.error_code).not.toBe(122);
	});
});

describe('session renewal on HTTP 401', () => {
	it('logs in again once and repeats the call when ATA answers 401', async () => {
		const ata = await new LoopbackServer().start();
		try {
			let issued = 0;
			let valid = '';
			ata.route('POST /authentication/login.json', (_request, response) => {
				valid = `sid=s${++issued}`;
				response.writeHead(200, { 'content-type': 'application/json', 'set-cookie': `${valid}; Path=/; HttpOnly` });
				response.end(JSON.stringify({ success: 1, data: {} }));
			});
			ata.route('GET /analysis/get_completed.json', (request, response) => {
				const ok = request.headers.cookie === valid;
				response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
				response.end(JSON.stringify(ok ? { success: 1, data: { session: valid } } : { success: 0, error_code: 122 }));
			});
			const credential: EngineCredential = {
				id: 'ata',
				name: 'NSX ATA',
				type: 'nsxAtaAnalystApi',
				data: { environment: 'onPremise', baseUrl: ata.baseUrl, apiKey: 'k', apiToken: 't' },
			};
			const url = `${ata.baseUrl}/analysis/get_completed.json?after=x`;
			await runWorkflow(httpRequest('nsxAtaAnalystApi', url), { credentials: [credential] });
			valid = 'sid=rotated-by-server';
			const renewed = await runWorkflow(httpRequest('nsxAtaAnalystApi', url), { credentials: [credential] });
			expect(renewed.error).toBeUndefined();
			expect(renewed.output('HTTP Request')[0].json).toEqual({ success: 1, data: { session: 'sid=s2' } });
			expect(credential.data.session).toBe('sid=s2');
		} finally {
			await ata.stop();
		}
	});
});

describe('"Custom API Call" in the NSX ATA node', () => {
	it('says where the call runs instead of crashing', async () => {
		const result = await runWorkflow(
			workflow(
				'custom API call entry',
				[
					manualTrigger,
					{
						name: 'NSX ATA',
						type: 'n8n-nodes-nsx-ata.nsxAta',
						typeVersion: 1,
						// n8n adds this entry to the operation list of nodes whose credential authenticates.
						parameters: { authentication: 'analystApi', operation: '__CUSTOM_API_CALL__' },
						credentials: { nsxAtaAnalystApi: { id: 'ata', name: 'NSX ATA' } },
					},
				],
				chain('Start', 'NSX ATA'),
			),
			{
				credentials: [
					{
						id: 'ata',
						name: 'NSX ATA',
						type: 'nsxAtaAnalystApi',
						data: { environment: 'onPremise', baseUrl: sim.url, apiKey: SECRETS.key, apiToken: SECRETS.apiToken },
					},
				],
			},
		);
		expect(result.error?.message).toBe('Custom API Call runs in an HTTP Request node, not in this node');
		expect(result.error?.description).toMatch(/HTTP Request node with Authentication "Predefined Credential Type"/);
		expect(sim.requests).toEqual([]);
	});
});
