/**
 * Attachments as MISP keeps them (MispAttribute::saveAttachment, AttachmentTool): `attachment` and
 * `malware-sample` attributes carry a file. `attributes/add` takes it base64 in `data`; with
 * `encrypt` a malware sample is zipped the way MISP does (`zip -j -P infected`, see sampleZip.ts)
 * and its value becomes `filename|md5`; without it the data is stored as given. restSearch with
 * `withAttachments` returns it base64 in `data`; `attributes/downloadAttachment/download/{id}`
 * returns the file itself (the ZIP for a sample).
 */
import { canSeeEvent, isTruthy, textOf, type Json, type RequestContext } from '../context';
import { MispException, type Reply } from '../responses';
import type { AttributeRecord, MispStore } from '../store';
import { mispSampleZip } from '../sampleZip';

const ATTACHMENT_TYPES = new Set(['attachment', 'malware-sample']);

const files = new WeakMap<MispStore, Map<string, Buffer>>();

function filesOf(store: MispStore): Map<string, Buffer> {
	let map = files.get(store);
	if (!map) {
		map = new Map();
		files.set(store, map);
	}
	return map;
}

/** An `attributes/add` input made ready for validation, and the file to keep once it is saved. */
export function prepareAttachment(input: Json): { input: Json; file?: Buffer } {
	const type = textOf(input.type) ?? '';
	const data = textOf(input.data);
	if (!ATTACHMENT_TYPES.has(type) || data === undefined || data === '') return { input };
	const content = Buffer.from(data, 'base64');
	if (type !== 'malware-sample' || !isTruthy(input.encrypt)) return { input, file: content };
	const fileName = (textOf(input.value) ?? '').split('|')[0];
	const { zip, md5 } = mispSampleZip(content, fileName);
	return { input: { ...input, value: `${fileName}|${md5}` }, file: zip };
}

export function keepAttachment(store: MispStore, record: AttributeRecord, file: Buffer | undefined): void {
	if (file) filesOf(store).set(record.id, file);
}

function attachmentOf(store: MispStore, attributeId: string): Buffer | undefined {
	return files.get(store)?.get(attributeId);
}

/** restSearch's `withAttachments`: the file base64 in `data`. */
export function addAttachmentData(store: MispStore, attribute: AttributeRecord, row: Json, filters: Json): void {
	if (!isTruthy(filters.withAttachments)) return;
	const file = attachmentOf(store, attribute.id);
	if (file) row.data = file.toString('base64');
}

/** `GET attributes/downloadAttachment/download/{id}`: the raw file, as a download. */
export function downloadAttachment(ctx: RequestContext): Reply {
	const [key, id] = ctx.args;
	const attribute = key === 'download' && id ? ctx.store.findAttribute(id) : undefined;
	const event = attribute ? ctx.store.events.get(attribute.event_id) : undefined;
	const file = attribute ? attachmentOf(ctx.store, attribute.id) : undefined;
	if (!attribute || attribute.deleted || !event || !canSeeEvent(ctx.user, event) || !ATTACHMENT_TYPES.has(attribute.type) || !file) {
		throw new MispException(
			401,
			'Attribute does not exist or you do not have the permission to download this attribute.',
		);
	}
	const name =
		attribute.type === 'malware-sample'
			? `${attribute.value1.split('|')[0]}.zip`
			: attribute.value1;
	return {
		status: 200,
		body: file,
		headers: {
			// Checked against MISP 2.5.1: a sample comes as application/zip, "<name>.zip".
			'Content-Type': attribute.type === 'malware-sample' ? 'application/zip' : 'application/octet-stream',
			'Content-Disposition': `attachment; filename="${name.replace(/["\\\r\n]/g, '_')}"`,
		},
	};
}
