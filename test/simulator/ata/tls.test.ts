/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * `tls`: HTTPS with a certificate from a fresh CA whose PEM lands in a file, so clients can verify
 * it (a `ca` option, NODE_EXTRA_CA_CERTS) or run with checks off; plain clients are refused.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';

import { startAtaSimulator, type AtaSimulator } from '../../../simulator/ata';
import { describeSimulator } from './target';

const run = promisify(execFile);

describeSimulator('ATA simulator: --tls', () => {
	let simulator: AtaSimulator;
	let dir: string;

	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'ata-sim-tls-test-'));
		simulator = await startAtaSimulator({ tls: { caFile: join(dir, 'ca.pem') } });
	});
	afterAll(async () => {
		await simulator.close();
		rmSync(dir, { recursive: true, force: true });
	});

	const login = (dispatcher: Agent) =>
		request(`${simulator.url}/authentication/login.json`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'key=sim-key&api_token=sim-token',
			dispatcher,
		}).then((answer) => answer.body.json());

	it('serves https and writes the issuing CA to the file it was given', () => {
		expect(simulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
		expect(simulator.caFile).toBe(join(dir, 'ca.pem'));
		expect(readFileSync(join(dir, 'ca.pem'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
	});

	it('verifies with the CA given as an option, and with checks off', async () => {
		expect(await login(new Agent({ connect: { ca: simulator.ca } }))).toMatchObject({ success: 1 });
		expect(await login(new Agent({ connect: { rejectUnauthorized: false } }))).toMatchObject({
			success: 1,
		});
	});

	it('is refused by a client that checks certificates without the CA', async () => {
		await expect(login(new Agent())).rejects.toThrow(/certificate/i);
	});

	it('verifies through NODE_EXTRA_CA_CERTS in a fresh process, for 127.0.0.1 and localhost', async () => {
		const script = `Promise.all([process.argv[1], process.argv[1].replace('127.0.0.1', 'localhost')].map((base) =>
			fetch(base + '/authentication/login.json', { method: 'POST', body: new URLSearchParams({ key: 'sim-key', api_token: 'sim-token' }) })
				.then((answer) => answer.json()))).then((answers) => console.log(JSON.stringify(answers)));`;
		const { stdout } = await run(process.execPath, ['-e', script, simulator.url], {
			env: { ...process.env, NODE_EXTRA_CA_CERTS: simulator.caFile },
		});
		expect(JSON.parse(stdout)).toEqual([
			{ success: 1, data: 'true' },
			{ success: 1, data: 'true' },
		]);
	});
});
