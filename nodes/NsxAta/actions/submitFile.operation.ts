import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { Action } from './common/actionContext';
import { fileSubmission, lookUpHashFirstField } from './common/fileSubmission';
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
	lookUpHashFirstField('submitFile'),
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
		const lookUpFirst = fn.getNodeParameter('lookUpHashFirst', itemIndex, true) === true;
		const { submit, submitted } = fileSubmission(
			analyst,
			{ data, fileName },
			readSubmissionOptions(options),
			lookUpFirst,
		);
		return await submissionItems(context, itemIndex, submit, submitted, `NSX ATA analysis of ${fileName}`);
	},
};
