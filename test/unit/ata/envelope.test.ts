import { parseEnvelope, retryAfterMs } from '../../../nodes/shared/ata/envelope';
import { AtaError } from '../../../nodes/shared/ata/errors';
import type { AtaHttpResponse } from '../../../nodes/shared/ata/transport';

function response(status: number, body: string, headers: Record<string, string> = {}): AtaHttpResponse {
	return { status, headers, body: Buffer.from(body, 'utf8') };
}

function failure(status: number, body: string, headers?: Record<string, string>): AtaError {
	let caught: unknown;
	try {
		parseEnvelope(response(status, body, headers), 'analysis/get');
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(AtaError);
	return caught as AtaError;
}

describe('ATA envelope', () => {
	it.each([1, '"1"', true])('accepts success %s', (flag) => {
		expect(parseEnvelope(response(200, `{"success":${flag},"data":{"a":1}}`), 'x')).toEqual({ a: 1 });
	});

	it('reads error envelopes on 200 with code, advice and retry class', () => {
		const error = failure(200, '{"success":0,"error_code":115,"error":"Submission limit exceeded"}');
		expect(error.code).toBe(115);
		expect(error.message).toBe('ATA error 115: Submission limit exceeded');
		expect(error.hint).toMatch(/quota/);
		expect(error.retry).toBe('never');
		expect(failure(200, '{"success":"0","error_code":"107","error":"busy"}').retry).toBe('safe');
		expect(failure(200, '{"success":0,"error_code":122,"error":"auth"}').retry).toBe('relogin');
		expect(failure(200, '{"success":0,"error_code":104,"error":"Invalid Credentials"}').hint).toMatch(
			/API key and API token/,
		);
	});

	it('reads error envelopes on 4xx/5xx and keeps Retry-After', () => {
		const error = failure(429, '{"success":0,"error":"slow down"}', { 'Retry-After': '3' });
		expect(error.retry).toBe('safe');
		expect(error.retryAfterMs).toBe(3000);
		expect(failure(500, '{"success":0,"error":"boom"}').retry).toBe('ifIdempotent');
	});

	it('treats an HTML gateway page as a gateway failure', () => {
		const error = failure(504, '<html><body><h1>504 Gateway Time-out</h1></body></html>');
		expect(error.kind).toBe('protocol');
		expect(error.httpStatus).toBe(504);
		expect(error.retry).toBe('ifIdempotent');
		expect(error.message).toMatch(/HTML page/);
	});

	it('treats an HTML page on 200 as a configuration problem, not something to retry', () => {
		const error = failure(200, '<!doctype html><title>Login</title>');
		expect(error.retry).toBe('never');
		expect(error.hint).toMatch(/base URL/);
	});

	it('treats cut-off JSON as an unknown outcome', () => {
		const error = failure(200, '{"success":1,"data":{"task_uuid":"3f2c');
		expect(error.message).toMatch(/cut off/);
		expect(error.retry).toBe('ifIdempotent');
	});

	it('requires success and data', () => {
		expect(failure(200, '{"data":{}}').kind).toBe('protocol');
		expect(failure(200, '{"success":1}').kind).toBe('protocol');
	});

	it('keeps error texts single-line and bounded', () => {
		const error = failure(200, JSON.stringify({ success: 0, error_code: 1, error: `a\nb\u202e${'x'.repeat(1000)}` }));
		expect(error.message).not.toMatch(/[\n\u202e]/);
		expect(error.message.length).toBeLessThan(400);
	});

	it('parses Retry-After as an HTTP date', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		const res = response(429, '', { 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' });
		expect(retryAfterMs(res, now)).toBe(5000);
	});
});
