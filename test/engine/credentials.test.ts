import { createHmac } from 'node:crypto';

import type { EngineCredential } from '../../dev/engine';
import { runWorkflow, testCredential } from '../../dev/engine';
import { LoopbackServer } from './loopbackServer';
import { chain, FIXTURE_PACKAGE, FIXTURE_PREFIX, manualTrigger, workflow } from './workflowBuilder';

const probe = (authentication: string, path: string) =>
	workflow(
		`probe ${authentication}`,
		[
			manualTrigger,
			{
				name: 'Probe',
				type: `${FIXTURE_PREFIX}.engineProbe`,
				typeVersion: 1,
				parameters: { operation: 'request', authentication, path },
				credentials: { [authentication]: { id: `cred-${authentication}`, name: authentication } },
			},
		],
		chain('Start', 'Probe'),
	);

describe('engine credentials', () => {
	let server: LoopbackServer;

	beforeEach(async () => {
		server = await new LoopbackServer().start();
	});

	afterEach(async () => {
		await server.stop();
	});

	it('logs in via preAuthentication once, reuses the stored token, re-logs in on 401', async () => {
		const issued: string[] = [];
		let valid = '';
		server.route('POST /login', (request, response) => {
			const { username, password } = JSON.parse(request.body.toString()) as Record<string, string>;
			if (username !== 'analyst' || password !== 'pw-1') {
				response.writeHead(403).end();
				return;
			}
			valid = `tok${issued.length + 1}`;
			issued.push(valid);
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ token: valid }));
		});
		server.route('GET /me', (request, response) => {
			const ok = request.headers['x-session'] === valid;
			response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
			response.end(JSON.stringify(ok ? { user: 'analyst', session: valid } : { error: 'expired' }));
		});
		const credential: EngineCredential = {
			id: 'cred-sessionLoginApi',
			name: 'session',
			type: 'sessionLoginApi',
			data: { baseUrl: server.baseUrl, username: 'analyst', password: 'pw-1' },
		};
		const options = { packageDirs: [FIXTURE_PACKAGE], credentials: [credential] };

		const first = await runWorkflow(probe('sessionLoginApi', '/me'), options);
		expect(first.error).toBeUndefined();
		expect(first.output('Probe')[0].json).toEqual({ user: 'analyst', session: 'tok1' });
		// Persisted like n8n's database update, so the next execution starts with the token.
		expect(credential.data.sessionToken).toBe('tok1');

		const second = await runWorkflow(probe('sessionLoginApi', '/me'), options);
		expect(second.output('Probe')[0].json).toEqual({ user: 'analyst', session: 'tok1' });

		valid = 'rotated-by-server';
		const third = await runWorkflow(probe('sessionLoginApi', '/me'), options);
		expect(third.error).toBeUndefined();
		expect(third.output('Probe')[0].json).toEqual({ user: 'analyst', session: 'tok2' });
		expect(credential.data.sessionToken).toBe('tok2');

		expect(server.requests.map((r) => `${r.method} ${r.path} ${r.headers['x-session'] ?? ''}`))
			.toEqual([
				'POST /login ',
				'GET /me tok1',
				'GET /me tok1',
				'GET /me tok1',
				'POST /login ',
				'GET /me tok2',
			]);
		expect(issued).toEqual(['tok1', 'tok2']);
	});

	it('applies a function-form authenticate and resolves expression defaults ($self)', async () => {
		server.json('GET /v1/signed', { signed: true });
		const credential: EngineCredential = {
			id: 'cred-signedApi',
			name: 'signed',
			type: 'signedApi',
			data: { baseUrl: `${server.baseUrl}/`, keyId: 'key-7', secret: 'shh' },
		};

		const result = await runWorkflow(probe('signedApi', '/signed'), {
			packageDirs: [FIXTURE_PACKAGE],
			credentials: [credential],
		});

		expect(result.error).toBeUndefined();
		const [request] = server.requests;
		// apiRoot defaulted to `={{$self["baseUrl"].replace(/\/$/, "")}}/v1`.
		expect(request.path).toBe('/v1/signed?keyId=key-7');
		const expected = createHmac('sha256', 'shh')
			.update(`GET ${server.baseUrl}/v1/signed`)
			.digest('hex');
		expect(request.headers['x-signature']).toBe(expected);
		// Defaults are applied to what the node sees, never written back to the stored data.
		expect(credential.data.apiRoot).toBeUndefined();
	});

	it('reports a missing credential the way n8n does', async () => {
		const result = await runWorkflow(probe('signedApi', '/signed'), {
			packageDirs: [FIXTURE_PACKAGE],
		});

		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('Credential with ID "cred-signedApi" does not exist');
	});

	describe('testCredential', () => {
		const session = () => ({ baseUrl: server.baseUrl, username: 'analyst', password: 'pw-1' });

		beforeEach(() => {
			server.json('POST /login', { token: 'test-token' });
		});

		it('succeeds when the test request passes and no rule matches', async () => {
			server.route('GET /me', (request, response) => {
				const ok = request.headers['x-session'] === 'test-token';
				response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
				response.end(JSON.stringify({ status: { success: 1 } }));
			});

			const result = await testCredential('sessionLoginApi', session(), {
				packageDirs: [FIXTURE_PACKAGE],
			});

			expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
			// The tester always logs in first, as n8n does for a credential test.
			expect(server.requests.map((r) => r.path)).toEqual(['/login', '/me']);
		});

		it('fails with the rule message when responseSuccessBody matches', async () => {
			server.json('GET /me', { status: { success: 0 } });

			const result = await testCredential('sessionLoginApi', session(), {
				packageDirs: [FIXTURE_PACKAGE],
			});

			expect(result).toEqual({ status: 'Error', message: 'The session was rejected' });
		});

		it('fails with the status when the test request is refused', async () => {
			server.json('GET /me', { error: 'no' }, 401);

			const result = await testCredential('sessionLoginApi', session(), {
				packageDirs: [FIXTURE_PACKAGE],
			});

			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/401|Unauthorized/);
		});

		it("runs a stock credential's test with its authenticate applied (mispApi)", async () => {
			server.json('GET /tags', { Tag: [] });

			const ok = await testCredential('mispApi', { apiKey: 'misp-key', baseUrl: server.baseUrl });
			server.json('GET /tags', { message: 'Authentication failed' }, 403);
			const refused = await testCredential('mispApi', { apiKey: 'bad', baseUrl: server.baseUrl });

			expect(ok.status).toBe('OK');
			expect(server.requests.map((r) => r.headers.authorization)).toEqual(['misp-key', 'bad']);
			expect(refused.status).toBe('Error');
		});

		it("uses a node's credentialTest method named by testedBy", async () => {
			server.route('GET /probe', (request, response) => {
				response.writeHead(200, { 'content-type': 'application/json' });
				response.end(JSON.stringify({ ok: request.headers['x-probe-token'] === 'good' }));
			});
			const options = { packageDirs: [FIXTURE_PACKAGE] };

			const data = (token: string) => ({ baseUrl: server.baseUrl, token });

			const ok = await testCredential('probeTokenApi', data('good'), options);
			const bad = await testCredential('probeTokenApi', data('bad'), options);

			expect(ok).toEqual({ status: 'OK', message: 'Probe accepted the token' });
			expect(bad).toEqual({ status: 'Error', message: 'Probe refused the token' });
		});
	});
});
