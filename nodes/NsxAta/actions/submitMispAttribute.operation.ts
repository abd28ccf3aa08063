/**
 * Submit from MISP Attribute: what the `lastline_submit` MISP module did, as a playbook step. A
 * `malware-sample` is unpacked from MISP's `zip -P infected` archive and submitted under its original
 * name, an `attachment` as it is, a `url` as a URL. The output is the `link` attribute for the same
 * event, with a UUID derived from the source attribute and the task, so storing it twice is refused
 * by MISP instead of duplicating it. With Wait for Completion a finished analysis also brings its
 * MISP data for that event, and the link comes complete; otherwise the sweep completes it later.
 *
 * `link` attributes are refused on purpose: MISP uses them for references such as the analysis
 * links this node writes, and submitting those would send the sandbox its own portal.
 */
import { createHash } from 'node:crypto';

import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { safeForMessage } from '../../shared/ata/baseUrls';
import { AtaError } from '../../shared/ata/errors';
import { isUuid, uuidV5 } from '../../shared/misp/uuid';
import { cleanFileName, readMispSample } from '../../shared/zip/mispSample';
import { DEFAULT_ZIP_LIMITS, ZipError } from '../../shared/zip/zipReader';
import type { Action, ActionContext } from './common/actionContext';
import { fileSubmission, lookUpHashFirstField } from './common/fileSubmission';
import { requireAnalyst } from './common/requireAnalyst';
import { readSubmissionOptions, submissionItems, submissionProperties } from './common/submission';
import { validSubmissionUrl } from './submitUrl.operation';

const OPERATION = 'submitMispAttribute';
const show = { operation: [OPERATION] };

const SUBMITTABLE_TYPES = ['malware-sample', 'attachment', 'url'] as const;
type SubmittableType = (typeof SUBMITTABLE_TYPES)[number];

/** Base64 of the largest content accepted (the ZIP limit), checked before decoding anything. */
const MAX_BASE64_CHARS = Math.ceil(DEFAULT_ZIP_LIMITS.maxEntryBytes / 3) * 4 + 4096;
const BASE64_BODY = /^[A-Za-z0-9+/\r\n]*$/;
const MD5 = /^[0-9a-f]{32}$/i;

/**
 * Base64 with line breaks, up to two `=` and trailing line breaks. The ending is trimmed by hand:
 * one regex for all of it (`[…\r\n]*={0,2}[\r\n]*`) backtracks quadratically over a run of line breaks.
 */
function isBase64(data: string): boolean {
	let end = data.length;
	while (end > 0 && (data[end - 1] === '\n' || data[end - 1] === '\r')) end--;
	for (let pad = 0; pad < 2 && end > 0 && data[end - 1] === '='; pad++) end--;
	return BASE64_BODY.test(data.slice(0, end));
}

const properties: INodeProperties[] = [
	{
		displayName: 'MISP Attribute',
		name: 'mispAttribute',
		type: 'json',
		default: '={{ $json }}',
		required: true,
		description:
			'The attribute as the MISP node or attributes/restSearch returns it: its ID, event, UUID, type and value, and for samples and attachments the base64 content in data. An {"Attribute": {…}} wrapper is unwrapped.',
		displayOptions: { show },
	},
	{
		displayName: 'Content Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		hint: 'Used when the attribute has no base64 data, e.g. after downloading attributes/downloadAttachment/download/{id}',
		displayOptions: { show },
	},
	lookUpHashFirstField(OPERATION),
	...submissionProperties(OPERATION),
];

interface SourceAttribute {
	id?: string;
	uuid: string;
	eventId: string;
	type: SubmittableType;
	value: string;
	raw: IDataObject;
}

function invalid(itemIndex: number, message: string, hint: string): AtaError {
	return new AtaError(`Item ${itemIndex}: ${message}`, { kind: 'config', retry: 'never', hint });
}

function text(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

function readAttribute(context: ActionContext, itemIndex: number): SourceAttribute {
	let raw = context.fn.getNodeParameter('mispAttribute', itemIndex, {}) as unknown;
	if (typeof raw === 'string') {
		try {
			raw = JSON.parse(raw) as unknown;
		} catch {
			raw = undefined;
		}
	}
	if (raw && typeof raw === 'object' && !Array.isArray(raw) && 'Attribute' in raw) {
		raw = (raw as IDataObject).Attribute;
	}
	const hintShape = 'Pass one MISP attribute per item, as the MISP node\'s attribute search returns it.';
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
		throw invalid(itemIndex, 'the "MISP Attribute" parameter is not a MISP attribute object', hintShape);
	}
	const attribute = raw as IDataObject;
	const name = `MISP attribute ${safeForMessage(text(attribute.id) ?? text(attribute.uuid) ?? '(no id)')}`;
	const type = text(attribute.type) ?? '';
	if (type === 'link') {
		throw invalid(
			itemIndex,
			`${name} has "type" link, which this operation does not submit`,
			'link attributes hold references such as analysis links; store the address as a url attribute to have it analysed.',
		);
	}
	if (!(SUBMITTABLE_TYPES as readonly string[]).includes(type)) {
		throw invalid(
			itemIndex,
			`${name} has "type" "${safeForMessage(type)}"; only ${SUBMITTABLE_TYPES.join(', ')} can be submitted`,
			'Filter the attributes by type before this node.',
		);
	}
	const uuid = text(attribute.uuid) ?? '';
	if (!isUuid(uuid)) {
		throw invalid(itemIndex, `${name} has no valid "uuid"`, 'The link\'s UUID derives from the source attribute\'s; pass the attribute as MISP returns it.');
	}
	const eventId = text(attribute.event_id) ?? '';
	if (!/^\d+$/.test(eventId) && !isUuid(eventId)) {
		throw invalid(itemIndex, `${name} has no valid "event_id"`, 'The link is added to the attribute\'s own event; pass the attribute as MISP returns it.');
	}
	const value = text(attribute.value) ?? '';
	if (value.trim() === '') throw invalid(itemIndex, `${name} has an empty "value"`, hintShape);
	return { id: text(attribute.id), uuid, eventId, type: type as SubmittableType, value, raw: attribute };
}

/** The attribute's content: base64 `data` (withAttachments), else the item's binary field. */
async function readContent(context: ActionContext, itemIndex: number, source: SourceAttribute): Promise<Buffer> {
	const name = `MISP attribute ${source.id ?? source.uuid}`;
	const data = source.raw.data;
	if (typeof data === 'string' && data !== '') {
		if (data.length > MAX_BASE64_CHARS || !isBase64(data)) {
			throw invalid(
				itemIndex,
				data.length > MAX_BASE64_CHARS
					? `${name}: "data" is larger than ${DEFAULT_ZIP_LIMITS.maxEntryBytes} bytes`
					: `${name}: "data" is not base64`,
				'MISP returns the content base64-encoded in data when attributes are searched with withAttachments.',
			);
		}
		return Buffer.from(data, 'base64');
	}
	const field = context.fn.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
	if (context.fn.getInputData()[itemIndex]?.binary?.[field]) {
		return await context.fn.helpers.getBinaryDataBuffer(itemIndex, field);
	}
	throw invalid(
		itemIndex,
		`${name} (${source.type}) has no content: no base64 "data" and no binary field "${safeForMessage(field)}"`,
		'Search attributes with withAttachments: true, or download attributes/downloadAttachment/download/{id} into a binary field first.',
	);
}

/** The sample inside MISP's ZIP, under its original name, checked against the value's MD5. */
async function unpackSample(itemIndex: number, source: SourceAttribute, zip: Buffer) {
	const name = `MISP attribute ${source.id ?? source.uuid}`;
	let sample;
	try {
		sample = await readMispSample(zip);
	} catch (error) {
		const reason = error instanceof ZipError ? error.message : 'it cannot be read as a ZIP archive.';
		throw invalid(
			itemIndex,
			`${name}: the malware-sample "data" cannot be used: ${reason}`,
			'MISP stores samples as a ZIP made with zip -P infected holding the sample and <md5>.filename.txt; nothing was submitted.',
		);
	}
	const [valueName, valueMd5] = splitSampleValue(source.value);
	const md5 = createHash('md5').update(sample.data).digest('hex');
	if (valueMd5 && valueMd5 !== md5) {
		throw invalid(
			itemIndex,
			`${name}: the sample's MD5 ${md5} does not match the "value" (${valueMd5})`,
			'The attribute\'s content and value disagree; nothing was submitted.',
		);
	}
	const fileName = sample.originalName ?? cleanFileName(valueName) ?? sample.entryName;
	return { data: sample.data, fileName };
}

/** `filename|md5` as MISP writes a malware-sample's value. */
function splitSampleValue(value: string): [string, string | undefined] {
	const bar = value.lastIndexOf('|');
	if (bar < 0) return [value, undefined];
	const md5 = value.slice(bar + 1).trim().toLowerCase();
	return [value.slice(0, bar), MD5.test(md5) ? md5 : undefined];
}

export const submitMispAttribute: Action = {
	properties,
	async run(context, itemIndex) {
		const analyst = requireAnalyst(context, 'Submit from MISP Attribute');
		const source = readAttribute(context, itemIndex);
		const options = readSubmissionOptions(context.fn.getNodeParameter('options', itemIndex, {}) as IDataObject);
		const attributeName = `MISP attribute ${source.id ?? source.uuid}`;

		let submit;
		let submitted: IDataObject;
		let subject: string;
		if (source.type === 'url') {
			const url = validSubmissionUrl(source.value, `Item ${itemIndex}: ${attributeName}'s "value"`);
			submit = async () => await analyst.submitUrl(url, options);
			submitted = { type: 'url', url };
			subject = url;
		} else {
			const content = await readContent(context, itemIndex, source);
			const file =
				source.type === 'malware-sample'
					? await unpackSample(itemIndex, source, content)
					: { data: content, fileName: cleanFileName(source.value) ?? 'attachment' };
			if (file.data.length === 0) {
				throw invalid(itemIndex, `${attributeName}: the ${source.type} is an empty file`, 'There is nothing to analyse; nothing was submitted.');
			}
			const lookUpFirst = context.fn.getNodeParameter('lookUpHashFirst', itemIndex, true) === true;
			({ submit, submitted } = fileSubmission(analyst, file, options, lookUpFirst));
			subject = file.fileName;
		}

		const comment = `NSX ATA analysis of ${source.type} attribute ${source.uuid} (${subject})`;
		const sourceAttribute: IDataObject = { uuid: source.uuid, type: source.type, value: source.value };
		if (source.id !== undefined) sourceAttribute.id = source.id;
		return await submissionItems(context, itemIndex, submit, submitted, comment, {
			// event_id also scopes the converted objects' UUIDs to this event, as Query does for a link.
			carry: { event_id: source.eventId, sourceAttribute },
			linkUuid: (taskUuid) => uuidV5(`nsx-ata-link:${taskUuid}`, source.uuid),
		});
	},
};
