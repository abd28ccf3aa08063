/** Test helpers for ZIP archives: changing what an archive claims without rebuilding it. */

/** Sets the compression method of every entry, in local and central headers (AES is 99, Deflate64 9). */
export function withMethod(zip: Buffer, method: number): Buffer {
	const copy = Buffer.from(zip);
	for (let at = 0; at < copy.length - 4; at++) {
		const signature = copy.readUInt32LE(at);
		if (signature === 0x04034b50) copy.writeUInt16LE(method, at + 8);
		if (signature === 0x02014b50) copy.writeUInt16LE(method, at + 10);
	}
	return copy;
}
