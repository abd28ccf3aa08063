import { createHash } from 'node:crypto';

import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { Action } from './common/actionContext';
import { readSubmissionOptions, submissionItems, submissionProperties } from './common/submission';
import { requireAnalyst } from './common/requireAnalyst';

const show = { operation: ['submitFile'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field holding the sample',
		displayOptions: { show },
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		description: 'Name ATA records for the sample; empty uses the binary file name',
		displayOptions: { show },
	},
	{
		displayName: 'Look Up Hash First',
		name: 'lookUpHashFirst',
		type: 'boolean',
		default: true,
		description:
			'Whether to look up the sample\'s SHA-256 first and reuse an existing analysis instead of uploading the file',
		displayOptions: { show },
	},
	...submissionProperties('submitFile'),
];

export const submitFile: Action = {
	properties,
	async run(context, itemIndex) {
		const { fn } = context;
		const analyst = requireAnalyst(context, 'Submit File');
		const field = fn.getNodeParameter('binaryPropertyName', itemIndex) as string;
		const binary = fn.helpers.assertBinaryData(itemIndex, field);
		const data = await fn.helpers.getBinaryDataBuffer(itemIndex, field);
		const fileName = (fn.getNodeParameter('fileName', itemIndex, '') as string) || binary.fileName || 'sample';
		const options = fn.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const submission = readSubmissionOptions(options);
		const sha256 = createHash('sha256').update(data).digest('hex');
		const lookUpFirst =
			fn.getNodeParameter('lookUpHashFirst', itemIndex, true) === true && !submission.bypassCache;

		let reused = false;
		const submitOrReuse = async () => {
			if (lookUpFirst) {
				const [existing] = await analyst.queryFileHash(sha256);
				if (existing) {
					reused = true;
					const score = existing.score;
					return { taskUuid: existing.taskUuid, score, complete: score !== undefined, data: {} };
				}
			}
			return await analyst.submitFile({ data, filename: fileName }, submission);
		};
		const submitted: IDataObject = { type: 'file', fileName, sha256, size: data.length };
		const submit = async () => {
			const submission = await submitOrReuse();
			submitted.reusedExistingAnalysis = reused;
			return submission;
		};
		return await submissionItems(context, itemIndex, submit, submitted, `NSX ATA analysis of ${fileName}`);
	},
};
