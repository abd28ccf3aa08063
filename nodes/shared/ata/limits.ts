/**
 * The bounds on every ATA call, and the "Limits" node option that changes them. Everything ATA sends
 * is attacker-influenced (a spoofed appliance controls every byte), so size and time are capped.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

const MB = 1024 * 1024;

export interface TransferLimits {
	/** The longest answer body accepted. */
	maxResponseBytes: number;
	/** Total time per request, headers and body together. */
	timeoutMs: number;
	/** Total time per upload (Submit File). */
	uploadTimeoutMs: number;
	/** No retry starts after this, and a retry's requests end by then (see `retry.ts`). */
	retryBudgetMs: number;
}

export const DEFAULT_LIMITS: Readonly<TransferLimits> = {
	maxResponseBytes: 256 * MB,
	timeoutMs: 60_000,
	uploadTimeoutMs: 600_000,
	retryBudgetMs: 90_000,
};

/** The "Limits" collection of the NSX ATA node and the trigger (defaults as literals: n8n's lint wants them so). */
export const limitsProperty: INodeProperties = {
	displayName: 'Limits',
	name: 'limits',
	type: 'collection',
	placeholder: 'Add Limit',
	default: {},
	options: [
		{
			displayName: 'Max Response Size (MB)',
			name: 'maxResponseSizeMb',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 256,
			description:
				'The largest answer accepted from ATA, e.g. a full report; a larger one fails the item instead of filling memory',
		},
		{
			displayName: 'Request Timeout (Seconds)',
			name: 'requestTimeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60,
			description:
				'The longest one request may take, answer included (uploads get at least 10 minutes); a server that answers slower fails the request',
		},
		{
			displayName: 'Retry Budget (Seconds)',
			name: 'retryBudgetSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 90,
			description:
				'How long a failed call may be retried; retries end by then, so a call takes at most this or one Request Timeout, whichever is longer',
		},
	],
};

/** The limits the user set in the "Limits" collection, defaults for the rest. */
export function readLimits(values: IDataObject | undefined): TransferLimits {
	const sizeMb = Number(values?.maxResponseSizeMb);
	const timeoutSeconds = Number(values?.requestTimeoutSeconds);
	const timeoutMs = timeoutSeconds > 0 ? Math.round(timeoutSeconds * 1000) : DEFAULT_LIMITS.timeoutMs;
	const budgetSeconds = Number(values?.retryBudgetSeconds);
	return {
		retryBudgetMs: budgetSeconds > 0 ? Math.round(budgetSeconds * 1000) : DEFAULT_LIMITS.retryBudgetMs,
		maxResponseBytes: sizeMb > 0 ? Math.round(sizeMb * MB) : DEFAULT_LIMITS.maxResponseBytes,
		timeoutMs,
		uploadTimeoutMs: Math.max(timeoutMs, DEFAULT_LIMITS.uploadTimeoutMs),
	};
}

/** `256 MB`, `0.5 MB`. */
export function describeBytes(bytes: number): string {
	return `${Math.round((bytes / MB) * 1000) / 1000} MB`;
}
