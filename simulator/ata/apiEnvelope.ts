/** Response envelopes (§3.1, §15): `success` is the integer 1/0, failures always carry `error`. */
import { readFixture } from './fixtures';

export interface ApiResponse {
	status: number;
	body: unknown;
	headers?: Record<string, string | string[]>;
}

export function success(data: unknown, headers?: Record<string, string | string[]>): ApiResponse {
	return { status: 200, body: { success: 1, data }, ...(headers ? { headers } : {}) };
}

/** API errors travel on HTTP 200: the official client only reads `error_code` from 2xx bodies. */
export function failure(errorCode: number | undefined, error: string, status = 200): ApiResponse {
	return {
		status,
		body: { success: 0, ...(errorCode !== undefined ? { error_code: errorCode } : {}), error },
	};
}

function fixtureFailure(name: string): ApiResponse {
	return { status: 200, body: readFixture(name) };
}

export const errors = {
	fileNotAvailable: () => failure(101, 'File not available'),
	invalidCredentials: () => fixtureFailure('error-analysis-invalid-credentials'),
	portalAuthentication: () => fixtureFailure('error-portal-authentication'),
	invalidUuid: () => fixtureFailure('error-unknown-task-uuid'),
	noResultYet: () => fixtureFailure('error-no-result-yet'),
	temporarilyUnavailable: () => failure(107, 'Service temporarily unavailable'),
	submissionLimit: () => fixtureFailure('error-submission-limit'),
	invalidHashAlgorithm: () => failure(116, 'Invalid hash algorithm'),
	invalidUrl: () => failure(117, 'Invalid URL'),
	authenticationRequired: () => failure(122, 'Authentication required'),
	missingField: (name: string) => failure(undefined, `Missing required field '${name}'.`),
	invalidField: (name: string) => failure(undefined, `Invalid value for field '${name}'.`),
};
