/**
 * CRC-32 and the traditional PKWARE stream cipher ("ZipCrypto") of the ZIP format (APPNOTE 6.1):
 * what `zip -P` writes and what MISP uses for malware samples. The cipher is weak by design: it is
 * only there so that a sample does not run or trip a virus scanner by accident.
 */

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

function crcStep(crc: number, byte: number): number {
	return (CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8)) >>> 0;
}

export function crc32(data: Uint8Array): number {
	let crc = 0xffffffff;
	for (const byte of data) crc = crcStep(crc, byte);
	return (crc ^ 0xffffffff) >>> 0;
}

/** The cipher's three keys; both directions feed the *plain* byte back into them. */
export class ZipCryptoKeys {
	private key0 = 0x12345678;
	private key1 = 0x23456789;
	private key2 = 0x34567890;

	constructor(password: string) {
		for (const byte of Buffer.from(password, 'utf8')) this.update(byte);
	}

	update(plain: number): void {
		this.key0 = crcStep(this.key0, plain);
		this.key1 = (Math.imul(this.key1 + (this.key0 & 0xff), 134775813) + 1) >>> 0;
		this.key2 = crcStep(this.key2, this.key1 >>> 24);
	}

	/** The next byte of the key stream. */
	streamByte(): number {
		const temp = (this.key2 | 2) & 0xffff;
		return (Math.imul(temp, temp ^ 1) >>> 8) & 0xff;
	}

	decrypt(data: Uint8Array): Buffer {
		const out = Buffer.allocUnsafe(data.length);
		for (let i = 0; i < data.length; i++) {
			const plain = data[i] ^ this.streamByte();
			this.update(plain);
			out[i] = plain;
		}
		return out;
	}
}
