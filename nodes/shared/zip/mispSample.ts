/**
 * The ZIP MISP keeps a `malware-sample` in: made with `zip -j -P infected`, holding the sample named
 * by its MD5 and `<md5>.filename.txt` with the original file name (MISP's Attribute model,
 * handleMaliciousBase64). Anything else in the archive makes it ambiguous which file to submit.
 */
import { readZip, ZipError, type ZipLimits } from './zipReader';

export const MISP_SAMPLE_PASSWORD = 'infected';

const NAME_SUFFIX = '.filename.txt';
const MAX_NAME_LENGTH = 255;

export interface MispSample {
	/** The sample's entry name (its MD5 in archives MISP made). */
	entryName: string;
	/** The original file name from `<md5>.filename.txt`, when the archive has one. */
	originalName?: string;
	data: Buffer;
}

/** A file name safe to pass on: no control characters or path, bounded length; undefined if nothing is left. */
export function cleanFileName(raw: string): string | undefined {
	const printable = [...raw].filter((char) => char >= ' ' && char !== '\u007f').join('');
	const base = printable.split(/[\\/]/).pop() ?? '';
	const name = base.trim().slice(0, MAX_NAME_LENGTH);
	return name && name !== '.' && name !== '..' ? name : undefined;
}

export async function readMispSample(content: Uint8Array, limits?: Partial<ZipLimits>): Promise<MispSample> {
	const entries = await readZip(content, { password: MISP_SAMPLE_PASSWORD, limits });
	const samples = entries.filter((entry) => !entry.name.endsWith(NAME_SUFFIX));
	if (samples.length !== 1) {
		const found = samples.length === 0 ? 'no sample' : `${samples.length} samples`;
		throw new ZipError(
			'notMispSample',
			`The malware-sample ZIP holds ${found}; MISP stores exactly one file (plus its ${NAME_SUFFIX}).`,
		);
	}
	const [sample] = samples;
	const nameFile = entries.find((entry) => entry.name === sample.name + NAME_SUFFIX);
	const originalName = nameFile ? cleanFileName(nameFile.data.toString('utf8')) : undefined;
	return { entryName: sample.name, originalName, data: sample.data };
}
