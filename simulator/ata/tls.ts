/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- development-only code, never shipped in dist/ */
/**
 * A throw-away certificate authority and server certificate for `--tls`, made with the openssl
 * command-line tool (no runtime dependency). The CA is a separate certificate, as a real service's
 * issuer would be, so strict verifiers (Python's default context) accept the chain.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TlsMaterial {
	key: Buffer;
	cert: Buffer;
	/** PEM of the issuing CA, also written to `caFile`. */
	ca: Buffer;
	caFile: string;
}

const SERVER_EXTENSIONS = [
	'basicConstraints = critical, CA:FALSE',
	'keyUsage = critical, digitalSignature, keyEncipherment',
	'extendedKeyUsage = serverAuth',
	'subjectAltName = IP:127.0.0.1, DNS:localhost',
	'subjectKeyIdentifier = hash',
	'authorityKeyIdentifier = keyid',
].join('\n');

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Makes the CA and a certificate for 127.0.0.1/localhost valid two days; writes the CA PEM to `caFile`. */
export async function makeTlsMaterial(caFile?: string): Promise<TlsMaterial> {
	const dir = await mkdtemp(join(tmpdir(), 'ata-simulator-tls-'));
	const path = (name: string) => join(dir, name);
	try {
		await run('openssl', [
			'req',
			'-x509',
			...EC_KEY,
			'-days',
			'2',
			'-subj',
			'/CN=ATA simulator test CA',
			'-addext',
			'basicConstraints = critical, CA:TRUE',
			'-addext',
			'keyUsage = critical, keyCertSign, cRLSign',
			'-keyout',
			path('ca.key'),
			'-out',
			path('ca.pem'),
		]);
		await run('openssl', [
			'req',
			...EC_KEY,
			'-subj',
			'/CN=127.0.0.1',
			'-keyout',
			path('key.pem'),
			'-out',
			path('server.csr'),
		]);
		await writeFile(path('server.ext'), `${SERVER_EXTENSIONS}\n`);
		await run('openssl', [
			'x509',
			'-req',
			'-in',
			path('server.csr'),
			'-CA',
			path('ca.pem'),
			'-CAkey',
			path('ca.key'),
			'-CAcreateserial',
			'-days',
			'2',
			'-extfile',
			path('server.ext'),
			'-out',
			path('cert.pem'),
		]);
		const [key, cert, ca] = await Promise.all(
			['key.pem', 'cert.pem', 'ca.pem'].map((name) => readFile(path(name))),
		);
		const target = caFile ?? join(await mkdtemp(join(tmpdir(), 'ata-simulator-ca-')), 'ca.pem');
		await writeFile(target, ca);
		return { key, cert, ca, caFile: target };
	} catch (error) {
		throw new Error(`--tls needs the openssl command-line tool: ${(error as Error).message}`);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}
