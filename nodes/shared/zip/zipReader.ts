/**
 * A small ZIP reader for the archives MISP wraps samples in (`zip -j -P infected`): stored and
 * deflated entries, optionally ZipCrypto-encrypted, read through the central directory and checked
 * by CRC. Everything else (ZIP64, AES, Deflate64, bzip2, split archives) is refused with a clear
 * reason rather than guessed at. Inflating goes through the runtime's `DecompressionStream`
 * (`deflate-raw`), the route the community-node rules leave open (`node:zlib` is not allowed), and
 * stops as soon as an entry produces more than it declared: a zip bomb costs at most its limit.
 */
import { printable } from '../ata/text';
import { ZipCryptoKeys, crc32 } from './zipCrypto';

export type ZipErrorReason =
	| 'empty'
	| 'notZip'
	| 'corrupt'
	| 'unsupported'
	| 'wrongPassword'
	| 'passwordNeeded'
	| 'tooLarge'
	| 'notMispSample';

export class ZipError extends Error {
	constructor(
		readonly reason: ZipErrorReason,
		message: string,
	) {
		super(message);
		this.name = 'ZipError';
	}
}

export interface ZipLimits {
	/** Most bytes one entry may unpack to. */
	maxEntryBytes: number;
	/** Most bytes all entries together may unpack to. */
	maxTotalBytes: number;
	/** Most bytes out per byte in, for entries unpacking to more than `ratioFloorBytes`. */
	maxRatio: number;
	ratioFloorBytes: number;
	maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
	maxEntryBytes: 128 * 1024 * 1024,
	maxTotalBytes: 128 * 1024 * 1024,
	maxRatio: 200,
	ratioFloorBytes: 1024 * 1024,
	maxEntries: 64,
};

export interface ZipEntry {
	name: string;
	data: Buffer;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_MARK = 0xffffffff;
const ENCRYPTION_HEADER_BYTES = 12;

const FLAG_ENCRYPTED = 0x1;
const FLAG_DATA_DESCRIPTOR = 0x8;
const FLAG_STRONG_ENCRYPTION = 0x40;

const METHOD_NAMES: Record<number, string> = {
	1: 'Shrink',
	6: 'Implode',
	9: 'Deflate64',
	12: 'bzip2',
	14: 'LZMA',
	93: 'Zstandard',
	95: 'XZ',
	98: 'PPMd',
	99: 'AES (WinZip)',
};

interface CentralEntry {
	name: string;
	/** `ZIP entry "<name>"` for messages: the name is the archive's, so printable and bounded. */
	label: string;
	flags: number;
	method: number;
	modTime: number;
	crc: number;
	compressedSize: number;
	size: number;
	localOffset: number;
}

function findEndOfCentralDirectory(zip: Buffer): number {
	const earliest = Math.max(0, zip.length - 22 - 0xffff);
	for (let at = zip.length - 22; at >= earliest; at--) {
		if (zip.readUInt32LE(at) === EOCD_SIGNATURE) return at;
	}
	throw new ZipError('notZip', 'The content is not a ZIP archive (no end-of-central-directory record).');
}

function readCentralDirectory(zip: Buffer, limits: ZipLimits): CentralEntry[] {
	const eocd = findEndOfCentralDirectory(zip);
	const disk = zip.readUInt16LE(eocd + 4);
	const count = zip.readUInt16LE(eocd + 10);
	const offset = zip.readUInt32LE(eocd + 16);
	if (disk !== 0) throw new ZipError('unsupported', 'Split (multi-part) ZIP archives are not supported.');
	if (count === 0xffff || offset === ZIP64_MARK) {
		throw new ZipError('unsupported', 'ZIP64 archives are not supported.');
	}
	if (count > limits.maxEntries) {
		throw new ZipError('tooLarge', `The ZIP archive has ${count} entries; at most ${limits.maxEntries} are read.`);
	}
	const entries: CentralEntry[] = [];
	let at = offset;
	for (let i = 0; i < count; i++) {
		if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
			throw new ZipError('corrupt', 'The ZIP archive\'s central directory is damaged.');
		}
		const nameLength = zip.readUInt16LE(at + 28);
		const extraLength = zip.readUInt16LE(at + 30);
		const commentLength = zip.readUInt16LE(at + 32);
		if (at + 46 + nameLength > zip.length) {
			throw new ZipError('corrupt', 'The ZIP archive\'s central directory is damaged.');
		}
		const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
		entries.push({
			flags: zip.readUInt16LE(at + 8),
			method: zip.readUInt16LE(at + 10),
			modTime: zip.readUInt16LE(at + 12),
			crc: zip.readUInt32LE(at + 16),
			compressedSize: zip.readUInt32LE(at + 20),
			size: zip.readUInt32LE(at + 24),
			localOffset: zip.readUInt32LE(at + 42),
			name,
			label: `ZIP entry "${printable(name, 120)}"`,
		});
		at += 46 + nameLength + extraLength + commentLength;
	}
	return entries;
}

function checkSupported(entry: CentralEntry, limits: ZipLimits): void {
	const label = entry.label;
	if (entry.flags & FLAG_STRONG_ENCRYPTION || entry.method === 99) {
		throw new ZipError(
			'unsupported',
			`${label} uses AES or PKWARE strong encryption; only the traditional ZIP encryption (as MISP's zip -P writes) is supported.`,
		);
	}
	if (entry.method !== 0 && entry.method !== 8) {
		const method = METHOD_NAMES[entry.method] ?? `method ${entry.method}`;
		throw new ZipError('unsupported', `${label} is compressed with ${method}; only stored and Deflate entries are supported.`);
	}
	if (entry.compressedSize === ZIP64_MARK || entry.size === ZIP64_MARK || entry.localOffset === ZIP64_MARK) {
		throw new ZipError('unsupported', `${label} needs ZIP64, which is not supported.`);
	}
	if (entry.size > limits.maxEntryBytes) {
		throw new ZipError(
			'tooLarge',
			`${label} unpacks to ${entry.size} bytes, more than the limit of ${limits.maxEntryBytes}.`,
		);
	}
	if (entry.size > limits.ratioFloorBytes && entry.size > entry.compressedSize * limits.maxRatio) {
		throw new ZipError(
			'tooLarge',
			`${label} unpacks ${entry.compressedSize} bytes into ${entry.size}, a ratio above ${limits.maxRatio}: refused as a possible zip bomb.`,
		);
	}
}

/** The entry's raw bytes as stored after its local header. */
function storedBytes(zip: Buffer, entry: CentralEntry): Buffer {
	const at = entry.localOffset;
	if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL_SIGNATURE) {
		throw new ZipError('corrupt', `${entry.label} has no valid local header.`);
	}
	const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
	const end = start + entry.compressedSize;
	if (end > zip.length) throw new ZipError('corrupt', `${entry.label} is cut off.`);
	return zip.subarray(start, end);
}

function decrypt(entry: CentralEntry, bytes: Buffer, password: string): Buffer {
	if (bytes.length < ENCRYPTION_HEADER_BYTES) {
		throw new ZipError('corrupt', `${entry.label} is too short to be encrypted.`);
	}
	const keys = new ZipCryptoKeys(password);
	const header = keys.decrypt(bytes.subarray(0, ENCRYPTION_HEADER_BYTES));
	// The last header byte repeats the CRC's high byte, or the time's when sizes follow the data.
	const check = entry.flags & FLAG_DATA_DESCRIPTOR ? (entry.modTime >>> 8) & 0xff : entry.crc >>> 24;
	if (header[ENCRYPTION_HEADER_BYTES - 1] !== check) {
		throw new ZipError('wrongPassword', `Wrong password for ${entry.label}.`);
	}
	return keys.decrypt(bytes.subarray(ENCRYPTION_HEADER_BYTES));
}

/**
 * Inflates raw Deflate data, stopping as soon as the output passes `limit` bytes; damaged data
 * fails with `damaged`.
 */
async function inflateRaw(compressed: Buffer, limit: number, label: string, damaged: ZipError): Promise<Buffer> {
	const stream = new DecompressionStream('deflate-raw');
	const writer = stream.writable.getWriter();
	const writing = writer.write(compressed).then(async () => await writer.close());
	const reader = stream.readable.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	let failure: ZipError | undefined;
	try {
		for (;;) {
			const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
			if (done || !value) break;
			total += value.byteLength;
			if (total > limit) {
				failure = new ZipError(
					'tooLarge',
					`${label} unpacks to more than it declared (${limit} bytes): refused as a possible zip bomb.`,
				);
				break;
			}
			chunks.push(value);
		}
	} catch {
		failure = damaged;
	}
	// Cancel first: a writer held up by backpressure settles only once the reader lets go.
	if (failure) await reader.cancel().catch(() => undefined);
	const written = await writing.then(
		() => true,
		() => false,
	);
	if (failure) throw failure;
	if (!written) throw damaged;
	return Buffer.concat(chunks);
}

async function readEntry(zip: Buffer, entry: CentralEntry, password: string | undefined): Promise<Buffer> {
	let bytes = storedBytes(zip, entry);
	const encrypted = (entry.flags & FLAG_ENCRYPTED) !== 0;
	if (encrypted) {
		if (password === undefined) {
			throw new ZipError('passwordNeeded', `${entry.label} is encrypted and no password was given.`);
		}
		bytes = decrypt(entry, bytes, password);
	}
	// With a wrong password that passed the 1-in-256 header check, what follows is noise.
	const damaged = encrypted
		? new ZipError('wrongPassword', `Wrong password for ${entry.label} (its content does not check out).`)
		: new ZipError('corrupt', `${entry.label} is damaged (bad Deflate data or CRC).`);
	const data = entry.method === 0 ? Buffer.from(bytes) : await inflateRaw(bytes, entry.size, entry.label, damaged);
	if (data.length !== entry.size || crc32(data) !== entry.crc) throw damaged;
	return data;
}

/** Every file entry of a ZIP archive (directories are skipped), checked against `limits`. */
export async function readZip(
	content: Uint8Array,
	options: { password?: string; limits?: Partial<ZipLimits> } = {},
): Promise<ZipEntry[]> {
	const limits = { ...DEFAULT_ZIP_LIMITS, ...options.limits };
	if (content.length === 0) throw new ZipError('empty', 'The content is empty, not a ZIP archive.');
	const zip = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
	if (zip.length < 22) throw new ZipError('notZip', 'The content is not a ZIP archive (too short).');
	const entries = readCentralDirectory(zip, limits).filter((entry) => !entry.name.endsWith('/'));
	entries.forEach((entry) => checkSupported(entry, limits));
	const total = entries.reduce((sum, entry) => sum + entry.size, 0);
	if (total > limits.maxTotalBytes) {
		throw new ZipError('tooLarge', `The ZIP archive unpacks to ${total} bytes, more than the limit of ${limits.maxTotalBytes}.`);
	}
	const files: ZipEntry[] = [];
	for (const entry of entries) {
		files.push({ name: entry.name, data: await readEntry(zip, entry, options.password) });
	}
	return files;
}
