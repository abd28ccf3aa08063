/** Request bodies the ATA APIs accept: urlencoded forms and multipart uploads, built as bytes. */
import { randomBytes } from 'node:crypto';

export type FormFields = Record<string, string | number | boolean | undefined>;

function fieldEntries(fields: FormFields): Array<[string, string]> {
	const entries: Array<[string, string]> = [];
	for (const [name, value] of Object.entries(fields)) {
		if (value === undefined) continue;
		entries.push([name, typeof value === 'boolean' ? (value ? '1' : '0') : String(value)]);
	}
	return entries;
}

export function urlEncoded(fields: FormFields): string {
	return new URLSearchParams(fieldEntries(fields)).toString();
}

export interface MultipartFile {
	field: string;
	/** Sent as the part's filename; the real name travels in a text field (ata-api.md §10.17). */
	partFilename: string;
	data: Buffer;
}

export interface MultipartBody {
	contentType: string;
	body: Buffer;
}

/** Text parts first, then the file part without its own Content-Type, as the official client sends it. */
export function multipart(fields: FormFields, file: MultipartFile): MultipartBody {
	const boundary = `----n8nNsxAta${randomBytes(12).toString('hex')}`;
	const chunks: Buffer[] = [];
	for (const [name, value] of fieldEntries(fields)) {
		chunks.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${quoteName(name)}"\r\n\r\n`,
				'utf8',
			),
			Buffer.from(value, 'utf8'),
			Buffer.from('\r\n', 'utf8'),
		);
	}
	chunks.push(
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="${quoteName(file.field)}"; ` +
				`filename="${quoteName(file.partFilename)}"\r\n\r\n`,
			'utf8',
		),
		file.data,
		Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
	);
	return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}

function quoteName(name: string): string {
	return name.replace(/[\r\n"\\]/g, '_');
}
