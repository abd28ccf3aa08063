import {
	REDACTED,
	SESSION_COOKIES,
	startAtaSimulator,
	type AtaSimulator,
} from '../../../simulator/ata';
import { analystSession, portalSession, WireSession } from './ataWire';
import { simulatorOnly, startTarget } from './target';

const FILE_TASK = '3f2c9a7d41b800101a7e5c2d9b04e6f1';

describe('ATA simulator: logins, sessions and credential handling', () => {
	let simulator: AtaSimulator;

	beforeAll(async () => {
		simulator = await startTarget({
			analyst: { key: 'lic-key-123', apiToken: 'tok-secret-456' },
			portal: { username: 'soc@example.com', password: 'pw-secret-789' },
		});
	});
	afterAll(() => simulator.close());
	beforeEach(() => simulator.reset());

	simulatorOnly('binds loopback and exposes Analyst and Portal bases on the same origin', () => {
		expect(simulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(simulator.portalUrl).toBe(simulator.url);
	});

	it('answers the official form login with success 1, data "true" and a host-only session cookie', async () => {
		const session = new WireSession(simulator.url);
		const login = await session.loginAnalyst(simulator);
		expect(login.status).toBe(200);
		expect(login.json).toEqual({ success: 1, data: 'true' });
		const [cookie] = session.setCookieHeaders;
		// Any cookie name works for the clients; host-only, and not Secure over http (§15).
		expect(cookie).toMatch(/^[^=;\s]+=[^;]+;/);
		expect(cookie).toMatch(/; Path=\/(;|$)/i);
		expect(cookie).not.toMatch(/Domain=/i);
		if (simulator.url.startsWith('http:')) expect(cookie).not.toMatch(/Secure/i);
		const progress = await session.call('GET', '/analysis/get_progress.json', {
			query: { uuid: FILE_TASK },
		});
		// The session is accepted (a real service answers 105 for the simulator's fixture uuid).
		expect(progress.json.error_code).not.toBe(122);
	});

	simulatorOnly('accepts the official login without api_token only when the configured token is empty', async () => {
		const tokenless = await startAtaSimulator({ analyst: { key: 'sensor-key', apiToken: '' } });
		try {
			const session = new WireSession(tokenless.url);
			expect(
				(await session.call('POST', '/authentication/login.json', { form: { key: 'sensor-key' } }))
					.json.success,
			).toBe(1);
			const strict = new WireSession(simulator.url);
			const refused = await strict.call('POST', '/authentication/login.json', {
				form: { key: simulator.credentials.analyst.key },
			});
			expect(refused.json).toEqual({ success: 0, error_code: 104, error: 'Invalid Credentials' });
		} finally {
			await tokenless.close();
		}
	});

	it('refuses a wrong Analyst token with HTTP 200, error 104 "Invalid Credentials" and no cookie', async () => {
		const session = new WireSession(simulator.url);
		const login = await session.call('POST', '/authentication/login.json', {
			form: { key: simulator.credentials.analyst.key, api_token: 'wrong' },
		});
		expect(login.status).toBe(200);
		expect(login.json).toMatchObject({ success: 0, error_code: 104 });
		expect(login.json.error).toContain('Invalid Credentials');
		expect(session.setCookieHeaders).toHaveLength(0);
	});

	it('refuses a wrong portal password with "Authentication Error"', async () => {
		const session = new WireSession(simulator.portalUrl);
		const login = await session.call('POST', '/papi/login.json', {
			form: { username: simulator.credentials.portal.username, password: 'nope' },
		});
		expect(login.status).toBe(200);
		expect(login.json.success).toBe(0);
		expect(login.json.error).toContain('Authentication Error');
		expect(session.setCookieHeaders).toHaveLength(0);
	});

	it('logs in to the portal with or without the .json suffix and sets its own host-only cookie', async () => {
		for (const path of ['/papi/login.json', '/papi/login']) {
			const session = new WireSession(simulator.portalUrl);
			const login = await session.call('POST', path, {
				form: { username: simulator.credentials.portal.username, password: simulator.credentials.portal.password },
			});
			expect(login.json).toEqual({ success: 1, data: 'true' });
			expect(session.setCookieHeaders[0]).toMatch(/^[^=;\s]+=[^;]*;.*Path=\//i);
			expect(session.setCookieHeaders[0]).not.toMatch(/Domain=/i);
			if (simulator.url.startsWith('http:'))
				expect(session.setCookieHeaders[0]).not.toMatch(/Secure/i);
		}
	});

	it('answers 122 on a missing or unknown session, for both APIs', async () => {
		const anonymous = new WireSession(simulator.url);
		const missing = await anonymous.call('GET', '/analysis/get_progress.json', {
			query: { uuid: FILE_TASK },
		});
		expect(missing.status).toBe(200);
		expect(missing.json).toMatchObject({ success: 0, error_code: 122 });
		expect(typeof missing.json.error).toBe('string');
		anonymous.cookies.set(SESSION_COOKIES.analyst, 'deadbeef');
		expect(
			(await anonymous.call('GET', '/analysis/get_progress.json', { query: { uuid: FILE_TASK } }))
				.json.error_code,
		).toBe(122);
		const portalAnonymous = new WireSession(simulator.portalUrl);
		expect(
			(
				await portalAnonymous.call('GET', '/papi/analysis/get_progress.json', {
					query: { uuid: FILE_TASK },
				})
			).json.error_code,
		).toBe(122);
	});

	simulatorOnly('keeps Analyst and Portal session spaces apart', async () => {
		const portal = await portalSession(simulator);
		const viaAnalyst = await portal.call('GET', '/analysis/get_progress.json', {
			query: { uuid: FILE_TASK },
		});
		expect(viaAnalyst.json.error_code).toBe(122);
		const analyst = await analystSession(simulator);
		const viaPortal = await analyst.call('GET', '/papi/analysis/get_progress.json', {
			query: { uuid: FILE_TASK },
		});
		expect(viaPortal.json.error_code).toBe(122);
	});

	simulatorOnly('expireSessions() turns every live session into 122 until the client logs in again', async () => {
		const session = await analystSession(simulator);
		simulator.expireSessions();
		expect(
			(await session.call('GET', '/analysis/get_progress.json', { query: { uuid: FILE_TASK } }))
				.json.error_code,
		).toBe(122);
		await session.loginAnalyst(simulator);
		expect(
			(await session.call('GET', '/analysis/get_progress.json', { query: { uuid: FILE_TASK } }))
				.json.success,
		).toBe(1);
	});

	simulatorOnly('accepts credentials in the query string like the service (login or any call), and flags each request', async () => {
		const leaky = new WireSession(simulator.url);
		const login = await leaky.call('POST', '/authentication/login.json', {
			query: { key: simulator.credentials.analyst.key, api_token: simulator.credentials.analyst.apiToken },
		});
		expect(login.json).toEqual({ success: 1, data: 'true' });
		const sessionless = new WireSession(simulator.url);
		const progress = await sessionless.call('GET', '/analysis/get_progress.json', {
			query: { uuid: FILE_TASK, key: simulator.credentials.analyst.key, api_token: simulator.credentials.analyst.apiToken },
		});
		expect(progress.json).toEqual({ success: 1, data: { completed: 1, progress: 100 } });
		const wrong = await sessionless.call('GET', '/analysis/get.json', {
			query: { uuid: FILE_TASK, key: 'x' },
		});
		expect(wrong.json).toMatchObject({ success: 0, error_code: 104 });
		const portal = new WireSession(simulator.portalUrl);
		const portalCall = await portal.call('GET', '/papi/analysis/get_progress', {
			query: { uuid: FILE_TASK, username: simulator.credentials.portal.username, password: simulator.credentials.portal.password },
		});
		expect(portalCall.json.success).toBe(1);
		const flagged = simulator.requestsWithCredentialsInUrl();
		expect(flagged.map((record) => record.route)).toEqual([
			'authentication/login',
			'analysis/get_progress',
			'analysis/get',
			'papi/analysis/get_progress',
		]);
		const log = JSON.stringify(simulator.requests);
		for (const secret of [simulator.credentials.analyst.key, simulator.credentials.analyst.apiToken, simulator.credentials.portal.password])
			expect(log).not.toContain(secret);
		expect(flagged[0].query).toEqual({ key: REDACTED, api_token: REDACTED });
		expect(flagged[0].path).toBe(
			`/authentication/login.json?key=${encodeURIComponent(REDACTED)}&api_token=${encodeURIComponent(REDACTED)}`,
		);
	});

	simulatorOnly('flags a configured secret anywhere in a URL, even under an innocent parameter name', async () => {
		const session = await analystSession(simulator);
		await session.call('GET', '/analysis/get_progress.json', {
			query: { uuid: FILE_TASK, note: simulator.credentials.analyst.apiToken },
		});
		const [record] = simulator.requestsWithCredentialsInUrl();
		expect(record.route).toBe('analysis/get_progress');
		expect(record.query.note).toBe(REDACTED);
	});

	simulatorOnly('records method, route, query, headers and form field names with secret values redacted', async () => {
		const session = await analystSession(simulator);
		await session.call('POST', '/analysis/get_progress.json', {
			form: { uuid: FILE_TASK },
			headers: { authorization: 'Bearer abc' },
		});
		const [login, poll] = simulator.requests;
		expect(login).toMatchObject({
			sequence: 1,
			method: 'POST',
			route: 'authentication/login',
			bodyKind: 'urlencoded',
			fields: { key: REDACTED, api_token: REDACTED },
			credentialsInUrl: false,
			status: 200,
		});
		expect(poll).toMatchObject({
			sequence: 2,
			method: 'POST',
			route: 'analysis/get_progress',
			path: '/analysis/get_progress.json',
			fields: { uuid: FILE_TASK },
			cookieNames: [SESSION_COOKIES.analyst],
			status: 200,
		});
		expect(poll.headers.cookie).toBe(REDACTED);
		expect(poll.headers.authorization).toBe(REDACTED);
		expect(poll.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(simulator.requestsWithCredentialsInUrl()).toEqual([]);
	});

	simulatorOnly('accepts //analysis/... paths produced by a base URL with a trailing slash', async () => {
		const session = new WireSession(`${simulator.url}/`);
		expect((await session.loginAnalyst(simulator)).json.success).toBe(1);
		const progress = await session.call('GET', '/analysis/get_progress.json', {
			query: { uuid: FILE_TASK },
		});
		expect(progress.json.data).toEqual({ completed: 1, progress: 100 });
		expect(simulator.requests[1].path).toBe(`//analysis/get_progress.json?uuid=${FILE_TASK}`);
		expect(simulator.requests[1].route).toBe('analysis/get_progress');
	});

	simulatorOnly('answers unknown paths with 404 and wrong methods with 405, always in a JSON envelope with error', async () => {
		const session = await analystSession(simulator);
		const unknown = await session.call('GET', '/analysis/no_such_call.json');
		expect(unknown.status).toBe(404);
		expect(unknown.json).toMatchObject({ success: 0 });
		expect(typeof unknown.json.error).toBe('string');
		const inherited = await session.call('GET', '/constructor.json');
		expect(inherited.status).toBe(404);
		expect(simulator.requests.at(-1)?.route).toBeUndefined();
		const wrongMethod = await session.call('GET', '/analysis/submit/url.json', {
			query: { url: 'http://a.example.com/' },
		});
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.json.success).toBe(0);
		expect(simulator.submissions).toHaveLength(0);
	});
});
