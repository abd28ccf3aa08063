/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
/**
 * The ZIP MISP keeps a malware sample in, written the way MISP's `zip -j -P infected <md5>
 * <md5>.filename.txt` (Info-ZIP 3.0) writes it: the sample named by its MD5, deflated, then the
 * original name stored; traditional PKWARE encryption with password `infected`; sizes in a data
 * descriptor (flag bit 3), so the encryption check byte is the high byte of the DOS time. The
 * simulator only writes; the nodes only read (nodes/shared/zip), and share just the cipher.
 */
import { createHash, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';

import { MISP_SAMPLE_PASSWORD } from '../../nodes/shared/zip/mispSample';
import { ZipCryptoKeys, crc32 } from '../../nodes/shared/zip/zipCrypto';

interface WrittenEntry {
	name: Buffer;
	method: number;
	crc: number;
	compressedSize: number;
	size: number;
	offset: number;
}

function dosTime(date: Date): { time: number; date: number } {
	return {
		time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
		date: ((date.getFullYear() - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
	};
}

function encrypt(password: string, plain: Buffer, checkByte: number): Buffer {
	const keys = new ZipCryptoKeys(password);
	const header = Buffer.concat([randomBytes(11), Buffer.from([checkByte])]);
	const input = Buffer.concat([header, plain]);
	const out = Buffer.allocUnsafe(input.length);
	for (let i = 0; i < input.length; i++) {
		out[i] = input[i] ^ keys.streamByte();
		keys.update(input[i]);
	}
	return out;
}

/** An encrypted ZIP of `files` in order; like Info-ZIP, stores what Deflate would not shrink. */
export function writeEncryptedZip(files: Array<{ name: string; data: Buffer }>, password: string, at = new Date()): Buffer {
	const { time, date } = dosTime(at);
	const parts: Buffer[] = [];
	const written: WrittenEntry[] = [];
	let offset = 0;
	for (const file of files) {
		const name = Buffer.from(file.name, 'utf8');
		const deflated = deflateRawSync(file.data, { level: 6 });
		const method = deflated.length < file.data.length ? 8 : 0;
		const crc = crc32(file.data);
		const body = encrypt(password, method === 8 ? deflated : file.data, (time >>> 8) & 0xff);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(method === 8 ? 20 : 10, 4);
		local.writeUInt16LE(0x0009, 6);
		local.writeUInt16LE(method, 8);
		local.writeUInt16LE(time, 10);
		local.writeUInt16LE(date, 12);
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(body.length, 18);
		local.writeUInt32LE(file.data.length, 22);
		local.writeUInt16LE(name.length, 26);
		const descriptor = Buffer.alloc(16);
		descriptor.writeUInt32LE(0x08074b50, 0);
		descriptor.writeUInt32LE(crc, 4);
		descriptor.writeUInt32LE(body.length, 8);
		descriptor.writeUInt32LE(file.data.length, 12);
		parts.push(local, name, body, descriptor);
		written.push({ name, method, crc, compressedSize: body.length, size: file.data.length, offset });
		offset += local.length + name.length + body.length + descriptor.length;
	}
	const centralStart = offset;
	for (const entry of written) {
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(0x031e, 4); // made by Unix, version 3.0
		central.writeUInt16LE(entry.method === 8 ? 20 : 10, 6);
		central.writeUInt16LE(0x0009, 8);
		central.writeUInt16LE(entry.method, 10);
		central.writeUInt16LE(time, 12);
		central.writeUInt16LE(date, 14);
		central.writeUInt32LE(entry.crc, 16);
		central.writeUInt32LE(entry.compressedSize, 20);
		central.writeUInt32LE(entry.size, 24);
		central.writeUInt16LE(entry.name.length, 28);
		central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
		central.writeUInt32LE(entry.offset, 42);
		parts.push(central, entry.name);
		offset += central.length + entry.name.length;
	}
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(written.length, 8);
	end.writeUInt16LE(written.length, 10);
	end.writeUInt32LE(offset - centralStart, 12);
	end.writeUInt32LE(centralStart, 16);
	parts.push(end);
	return Buffer.concat(parts);
}

/** What MISP stores for a malware sample: the ZIP, and the MD5 that completes `filename|md5`. */
export function mispSampleZip(content: Buffer, originalName: string): { zip: Buffer; md5: string } {
	const md5 = createHash('md5').update(content).digest('hex');
	const zip = writeEncryptedZip(
		[
			{ name: md5, data: content },
			{ name: `${md5}.filename.txt`, data: Buffer.from(originalName, 'utf8') },
		],
		MISP_SAMPLE_PASSWORD,
	);
	return { zip, md5 };
}
