/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- development-only code, never shipped in dist/ */
/**
 * TLS verification: an HTTPS front with a self-signed certificate (made with openssl at test time)
 * forwards to the ATA simulator. With verification on, the node, the client and the credential
 * test refuse it with a clear message and no request reaches ATA; with "Ignore SSL Issues" they
 * work. Only a real boolean true turns verification off: strings such as "true" or "false" do not.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { testCredential } from '../../dev/engine';
import { analystTransport } from '../../dev/undiciTransport';
import { AnalystApiClient } from '../../nodes/shared/ata/analystApi';
import { parseBaseUrl } from '../../nodes/shared/ata/baseUrls';
import { AtaError } from '../../nodes/shared/ata/errors';
import { type AtaSimulator, FIXTURE_FILE_TASK } from '../../simulator/ata';
import { expectNoSecrets, FAST_RETRIES, SECRETS, startSimulator } from '../support/ataClients';
import { ataCredentials, nodeOutput, runNsxAta } from '../support/nodeRuns';

let sim: AtaSimulator;
let front: Server;
let frontUrl: string;
let dir: string;
const texts: string[] = [];

beforeAll(async () => {
	sim = await startSimulator();
	dir = mkdtempSync(join(tmpdir(), 'nsx-ata-tls-'));
	execFileSync('openssl', [
		'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
		'-addext', 'subjectAltName=IP:127.0.0.1',
		'-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
	], { stdio: 'ignore' });
	const target = new URL(sim.url);
	front = createServer(
		{ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
		(incoming, outgoing) => {
			const upstream = httpRequest(
				{ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
				(answer) => {
					outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(outgoing);
				},
			);
			upstream.on('error', () => outgoing.destroy());
			incoming.pipe(upstream);
		},
	);
	await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
	frontUrl = `https://127.0.0.1:${(front.address() as AddressInfo).port}`;
});
afterEach(() => sim.reset());
afterAll(async () => {
	expectNoSecrets(texts);
	front.closeAllConnections();
	await new Promise((resolve) => front.close(resolve));
	await sim.close();
	rmSync(dir, { recursive: true, force: true });
});

const logins = () => sim.requests.filter((r) => r.route === 'authentication/login').length;

function client(ignoreCertificateErrors: boolean): AnalystApiClient {
	return new AnalystApiClient({
		base: parseBaseUrl(frontUrl, 'base URL'),
		request: analystTransport({ environment: 'onPremise', baseUrl: frontUrl, apiKey: SECRETS.key, apiToken: SECRETS.apiToken }),
		ignoreCertificateErrors,
		retryPolicy: FAST_RETRIES,
	});
}

describe('the client (undici transport)', () => {
	it('refuses the self-signed certificate with a clear message, before any request', async () => {
		const error = await client(false).getProgress(FIXTURE_FILE_TASK).then(
			() => undefined,
			(failure: unknown) => failure,
		);
		expect(error).toBeInstanceOf(AtaError);
		expect((error as AtaError).message).toMatch(/certificate was not accepted/);
		texts.push((error as AtaError).message, (error as AtaError).hint ?? '');
		expect(sim.requests).toHaveLength(0);
	});

	it('works with Ignore SSL Issues', async () => {
		expect((await client(true).getProgress(FIXTURE_FILE_TASK)).complete).toBe(true);
		expect(logins()).toBe(1);
	});
});

describe('the NSX ATA node in the engine', () => {
	const run = async (ignoreSslIssues: unknown) => {
		const result = await runNsxAta(sim, 'nsx-ata-query.json', {
			continueOnFail: true,
			items: [{ json: { value: FIXTURE_FILE_TASK } }],
			credentials: ataCredentials(sim, { baseUrl: frontUrl, ignoreSslIssues: ignoreSslIssues as boolean }),
		});
		const [item] = nodeOutput(result);
		texts.push(JSON.stringify(item));
		return item;
	};

	it('works with Ignore SSL Issues on', async () => {
		expect(await run(true)).toMatchObject({ taskUuid: FIXTURE_FILE_TASK, status: 'complete' });
	});

	it.each([false, undefined, 'true', 'false', 'yes', 1, '1'])(
		'refuses the certificate with ignoreSslIssues %p, and nothing reaches ATA',
		async (value) => {
			const item = await run(value);
			expect(String(item.error)).toMatch(/certificate/i);
			expect(logins()).toBe(0);
		},
	);
});

describe('the credential test (Test button)', () => {
	const test = async (ignoreSslIssues: unknown) => {
		const result = await testCredential('nsxAtaAnalystApi', {
			environment: 'onPremise',
			baseUrl: frontUrl,
			apiKey: SECRETS.key,
			apiToken: SECRETS.apiToken,
			ignoreSslIssues,
		});
		texts.push(JSON.stringify(result));
		return result;
	};

	it('passes with Ignore SSL Issues on', async () => {
		expect((await test(true)).status).toBe('OK');
		// The credential's own session (pre-authentication), then the Test request, which is a login.
		expect(logins()).toBe(2);
	});

	it.each([false, 'true', 'false', 'yes', 1])('fails with ignoreSslIssues %p, and nothing reaches ATA', async (value) => {
		const result = await test(value);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/certificate|self.signed|SSL|TLS/i);
		expect(logins()).toBe(0);
	});
});
