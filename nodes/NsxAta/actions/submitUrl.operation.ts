import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { AtaError } from '../../shared/ata/errors';
import { safeForMessage } from '../../shared/ata/baseUrls';
import type { Action } from './common/actionContext';
import { requireAnalyst } from './common/requireAnalyst';
import { readSubmissionOptions, submissionItems, submissionProperties } from './common/submission';

const show = { operation: ['submitUrl'] };

const properties: INodeProperties[] = [
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://suspicious.example/login',
		description: 'The http(s) URL to analyse',
		displayOptions: { show },
	},
	...submissionProperties('submitUrl'),
];

/** An absolute http(s) URL with a host; anything else is refused before any request. */
export function validSubmissionUrl(raw: unknown, field = 'The "URL" parameter'): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
		throw new AtaError(`${field} is not an http(s) URL: "${safeForMessage(text)}"`, {
			kind: 'config',
			retry: 'never',
			hint: 'Give a full URL such as https://example.com/path.',
		});
	}
	return text;
}

export const submitUrl: Action = {
	properties,
	async run(context, itemIndex) {
		const analyst = requireAnalyst(context, 'Submit URL');
		const url = validSubmissionUrl(context.fn.getNodeParameter('url', itemIndex));
		const options = context.fn.getNodeParameter('options', itemIndex, {}) as IDataObject;
		return await submissionItems(
			context,
			itemIndex,
			async () => await analyst.submitUrl(url, readSubmissionOptions(options)),
			{ type: 'url', url },
			`NSX ATA analysis of ${url}`,
		);
	},
};
