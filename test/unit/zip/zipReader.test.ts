/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error -- development-only code, never shipped in dist/ */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readMispSample } from '../../../nodes/shared/zip/mispSample';
import { readZip, ZipError, type ZipErrorReason } from '../../../nodes/shared/zip/zipReader';
import { crc32 } from '../../../nodes/shared/zip/zipCrypto';
import { withMethod } from '../../support/zipFixtures';

const FIXTURES = join(__dirname, '../../fixtures/zip');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const SAMPLE = fixture('sample.bin');
const SAMPLE_MD5 = createHash('md5').update(SAMPLE).digest('hex');

async function failure(promise: Promise<unknown>): Promise<ZipError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof ZipError) return error;
		throw error;
	}
	throw new Error('expected a ZipError');
}

async function expectReason(promise: Promise<unknown>, reason: ZipErrorReason, message: RegExp) {
	const error = await failure(promise);
	expect(error.reason).toBe(reason);
	expect(error.message).toMatch(message);
}

describe('ZIP reader against archives made by Info-ZIP zip -P (as MISP makes them)', () => {
	it('reads a MISP malware-sample ZIP: the sample under its md5 and the original name', async () => {
		const sample = await readMispSample(fixture('misp-sample.zip'));
		expect(sample).toEqual({ entryName: SAMPLE_MD5, originalName: 'invoice 2026.exe', data: SAMPLE });
	});

	it('reads stored (uncompressed) encrypted entries', async () => {
		const sample = await readMispSample(fixture('misp-sample-stored.zip'));
		expect(sample.originalName).toBe('report.pdf.exe');
		expect(sample.data.equals(SAMPLE)).toBe(true);
	});

	it('reads an unencrypted ZIP without a password', async () => {
		const [entry] = await readZip(fixture('plain.zip'));
		expect(entry.name).toBe('plain.bin');
		expect(entry.data.equals(SAMPLE)).toBe(true);
	});

	it('refuses a wrong password', async () => {
		await expectReason(readMispSample(fixture('other-password.zip')), 'wrongPassword', /Wrong password/);
		await expectReason(readZip(fixture('misp-sample.zip'), { password: 'guess' }), 'wrongPassword', /Wrong password/);
	});

	it('refuses an encrypted ZIP without a password', async () => {
		await expectReason(readZip(fixture('misp-sample.zip')), 'passwordNeeded', /encrypted/);
	});

	it('refuses a ZIP with several samples', async () => {
		await expectReason(readMispSample(fixture('two-samples.zip')), 'notMispSample', /2 samples/);
	});

	it('refuses a zip bomb by ratio, by absolute size and by an entry unpacking to more than declared', async () => {
		const bomb = fixture('zip-bomb.zip');
		await expectReason(readMispSample(bomb), 'tooLarge', /ratio above 200/);
		await expectReason(
			readMispSample(bomb, { maxRatio: 10_000, maxEntryBytes: 1024 * 1024 }),
			'tooLarge',
			/more than the limit of 1048576/,
		);
		// A lying central directory (declares 1 KiB): inflation stops right after the declared size.
		const lying = Buffer.from(bomb);
		for (let at = 0; at < lying.length - 4; at++) {
			if (lying.readUInt32LE(at) === 0x02014b50 && lying.readUInt16LE(at + 28) === 32) {
				lying.writeUInt32LE(1024, at + 24);
			}
		}
		await expectReason(readMispSample(lying), 'tooLarge', /more than it declared \(1024 bytes\)/);
	});

	it('refuses AES, Deflate64 and other compression methods by name', async () => {
		const zip = fixture('misp-sample.zip');
		await expectReason(readMispSample(withMethod(zip, 99)), 'unsupported', /AES/);
		await expectReason(readMispSample(withMethod(zip, 9)), 'unsupported', /Deflate64/);
		await expectReason(readMispSample(withMethod(zip, 12)), 'unsupported', /bzip2/);
	});

	it('refuses empty content, non-ZIP content and a cut-off archive', async () => {
		await expectReason(readMispSample(Buffer.alloc(0)), 'empty', /empty/);
		await expectReason(readMispSample(Buffer.from('MZ not a zip at all, just some bytes here')), 'notZip', /not a ZIP/);
		const zip = fixture('misp-sample.zip');
		await expectReason(readMispSample(zip.subarray(200)), 'corrupt', /./);
	});

	it('detects a flipped byte in the data: damaged, or a wrong password when encrypted', async () => {
		const plain = Buffer.from(fixture('plain.zip'));
		plain[100] ^= 0xff;
		await expectReason(readZip(plain), 'corrupt', /damaged/);
		const encrypted = Buffer.from(fixture('misp-sample-stored.zip'));
		encrypted[200] ^= 0xff;
		await expectReason(readMispSample(encrypted), 'wrongPassword', /does not check out/);
	});

	it('computes the standard CRC-32', () => {
		expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
	});
});

const zipInstalled = spawnSync('zip', ['-v']).status === 0;

(zipInstalled ? describe : describe.skip)('ZIP reader against fresh zip -j -P infected archives', () => {
	const dir = mkdtempSync(join(tmpdir(), 'misp-zip-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it.each([
		['empty file', 0, '-6'],
		['one byte', 1, '-6'],
		['random 64 KiB', 64 * 1024, '-6'],
		['random 1 MiB stored', 1024 * 1024, '-0'],
		['random 300 KiB, best compression', 300 * 1024, '-9'],
	])('round-trips %s', async (_label, size, level) => {
		const data = size > 1 ? Buffer.concat([randomBytes(size / 2), Buffer.alloc(size / 2, 0x41)]) : randomBytes(size);
		const md5 = createHash('md5').update(data).digest('hex');
		writeFileSync(join(dir, md5), data);
		writeFileSync(join(dir, `${md5}.filename.txt`), `name ${size}.bin`);
		const zipPath = join(dir, `${md5}-${level}.zip`);
		execFileSync('zip', ['-q', '-j', level, '-P', 'infected', zipPath, join(dir, md5), join(dir, `${md5}.filename.txt`)]);
		const sample = await readMispSample(readFileSync(zipPath));
		expect(sample.entryName).toBe(md5);
		expect(sample.originalName).toBe(`name ${size}.bin`);
		expect(sample.data.equals(data)).toBe(true);
	});
});
