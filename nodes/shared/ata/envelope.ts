/**
 * Parses every ATA answer into its `data` or an `AtaError` (ata-api.md §3): success as 1, "1" or
 * true; errors as HTTP 200 with `success: 0`, as 4xx/5xx with the same envelope, or as a gateway's
 * HTML page; plus bodies that are cut off or are not JSON at all.
 */
import { z } from 'zod';

import { AtaError, adviceForCode, adviceForGatewayStatus, adviceForStatus, type RetryClass } from './errors';
import { boundedJson } from './serverJson';
import { printable } from './text';
import { headerValues, type AtaHttpResponse } from './transport';

const successFlag = z.union([z.literal(1), z.literal('1'), z.literal(true)]);
const failureFlag = z.union([z.literal(0), z.literal('0'), z.literal(false)]);

const successEnvelope = z.object({ success: successFlag, data: z.unknown() });
const failureEnvelope = z.object({
	success: failureFlag,
	error_code: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
	error: z.string().optional(),
});

/** Longest piece of the service's own error text carried into a message. */
const MAX_SERVICE_TEXT = 300;

/**
 * `secretForms` (see `serverJson.ts`) are scrubbed from every string of the answer, and its nesting
 * is bounded, before any of it reaches an error message or the caller.
 */
export function parseEnvelope(
	response: AtaHttpResponse,
	endpoint: string,
	secretForms: readonly string[] = [],
): unknown {
	const text = response.body.toString('utf8');
	const parsed = parseJson(text);
	if (parsed === undefined) throw nonJsonError(response, text, endpoint);
	const json = boundedJson(parsed, secretForms);

	// Success first: it is the common answer, and a failed zod parse builds a costly error object.
	const success = response.status < 400 ? successEnvelope.safeParse(json) : undefined;
	if (success?.success && success.data.data !== undefined) return success.data.data;
	const failure = failureEnvelope.safeParse(json);
	if (failure.success) {
		const { error_code: code, error } = failure.data;
		const advice = code === undefined ? adviceForStatus(response.status) : adviceForCode(code);
		const retry = code === undefined && response.status < 400 ? 'never' : advice.retry;
		return throwError(
			`ATA error${code === undefined ? '' : ` ${code}`}: ${serviceText(error ?? 'no error text')}`,
			{ kind: 'api', code, httpStatus: response.status, retry, hint: advice.hint, endpoint },
			response,
		);
	}
	if (response.status >= 400) {
		// No ATA envelope: a proxy or load balancer may have answered after forwarding the request.
		const advice = adviceForGatewayStatus(response.status);
		return throwError(
			`ATA answered HTTP ${response.status}`,
			{ kind: 'http', httpStatus: response.status, retry: advice.retry, hint: advice.hint, endpoint },
			response,
		);
	}
	throw new AtaError('ATA answered without a success flag or data', {
		kind: 'protocol',
		httpStatus: response.status,
		retry: 'never',
		hint: 'Check that the base URL points at the ATA API.',
		endpoint,
	});
}

function throwError(
	message: string,
	details: ConstructorParameters<typeof AtaError>[1],
	response: AtaHttpResponse,
): never {
	throw new AtaError(message, { ...details, retryAfterMs: retryAfterMs(response) });
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

function nonJsonError(response: AtaHttpResponse, text: string, endpoint: string): AtaError {
	const looksLikeHtml = /^\s*</.test(text);
	const looksLikeJson = /^\s*[{[]/.test(text);
	let retry: RetryClass;
	let message: string;
	let hint: string;
	if (response.status >= 400) {
		const advice = adviceForGatewayStatus(response.status);
		retry = advice.retry;
		message = `ATA answered HTTP ${response.status} with ${looksLikeHtml ? 'an HTML page' : 'no JSON'}`;
		hint = looksLikeHtml ? 'A gateway or proxy in front of ATA failed; try again later.' : advice.hint;
	} else if (looksLikeJson) {
		retry = 'ifIdempotent';
		message = 'The ATA answer was cut off (incomplete JSON)';
		hint = 'The connection broke while reading the answer; try again.';
	} else {
		retry = 'never';
		message = `ATA answered with ${looksLikeHtml ? 'an HTML page' : 'something other than JSON'}`;
		hint = 'Check that the base URL points at the ATA API and not at a login page or proxy.';
	}
	return new AtaError(message, {
		kind: 'protocol',
		httpStatus: response.status,
		retry,
		retryAfterMs: retryAfterMs(response),
		hint,
		endpoint,
	});
}

/** The service's own error text, single-line and bounded, whatever the service sent. */
function serviceText(text: string): string {
	return printable(text, MAX_SERVICE_TEXT);
}

/** `Retry-After` as delta-seconds or an HTTP date. */
export function retryAfterMs(response: AtaHttpResponse, now = Date.now()): number | undefined {
	const [value] = headerValues(response, 'retry-after');
	if (value === undefined) return undefined;
	if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
