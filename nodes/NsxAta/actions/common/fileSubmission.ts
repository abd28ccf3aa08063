/** Submitting file bytes, reusing an existing analysis of the same SHA-256 when asked to. */
import { createHash } from 'node:crypto';

import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { AnalystApiClient, Submission, SubmissionOptions } from '../../../shared/ata/analystApi';

/** The "Look Up Hash First" switch of the operations that upload files. */
export function lookUpHashFirstField(operation: string): INodeProperties {
	return {
		displayName: 'Look Up Hash First',
		name: 'lookUpHashFirst',
		type: 'boolean',
		default: true,
		description:
			'Whether to look up the sample\'s SHA-256 first and reuse an existing analysis instead of uploading the file',
		displayOptions: { show: { operation: [operation] } },
	};
}

export interface FileSubmission {
	submit: () => Promise<Submission>;
	/** What was submitted (`type`, `fileName`, `sha256`, `size`, then `reusedExistingAnalysis`). */
	submitted: IDataObject;
}

export function fileSubmission(
	analyst: AnalystApiClient,
	file: { data: Buffer; fileName: string },
	options: SubmissionOptions,
	lookUpHashFirst: boolean,
): FileSubmission {
	const { data, fileName } = file;
	const sha256 = createHash('sha256').update(data).digest('hex');
	const lookUpFirst = lookUpHashFirst && !options.bypassCache;
	const submitted: IDataObject = { type: 'file', fileName, sha256, size: data.length };
	const submitOrReuse = async (): Promise<Submission> => {
		if (lookUpFirst) {
			const [existing] = await analyst.queryFileHash(sha256);
			if (existing) {
				submitted.reusedExistingAnalysis = true;
				const score = existing.score;
				return { taskUuid: existing.taskUuid, score, complete: score !== undefined, data: {} };
			}
		}
		const submission = await analyst.submitFile({ data, filename: fileName }, options);
		submitted.reusedExistingAnalysis = false;
		return submission;
	};
	return { submit: submitOrReuse, submitted };
}
