/**
 * Property tests of the response parser (`parseEnvelope`): whatever status, headers and bytes
 * arrive, it returns `data` only for a success envelope below HTTP 400, and otherwise throws an
 * AtaError whose message is one bounded line and whose Retry-After delay is a finite,
 * non-negative number of milliseconds.
 */
import fc from 'fast-check';

import { parseEnvelope } from '../../nodes/shared/ata/envelope';
import { AtaError } from '../../nodes/shared/ata/errors';
import type { AtaHttpResponse } from '../../nodes/shared/ata/transport';
import { fuzzParameters, REGRESSIONS } from './fuzzRuns';

const flag = fc.constantFrom<unknown>(1, '1', true, 0, '0', false, 2, 'yes', null, undefined, 1.0, '01');
const envelope = fc.record(
	{
		success: flag,
		data: fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.constant('true')),
		error_code: fc.oneof(fc.integer({ min: 100, max: 130 }), fc.stringMatching(/^\d{1,4}$/), fc.string()),
		error: fc.oneof(fc.string({ maxLength: 1000 }), fc.constant('A'.repeat(5000)), fc.constant('line1\nline2\r\u202e')),
	},
	{ requiredKeys: [] },
);
const body = fc.oneof(
	envelope.map((value) => JSON.stringify(value)),
	envelope.map((value) => JSON.stringify(value)).chain((text) => fc.nat(text.length).map((cut) => text.slice(0, cut))),
	fc.constantFrom('<html><title>504 Gateway Time-out</title></html>', '', 'null', '[]', '"text"', '{"success":1,"data":null}'),
	fc.string(),
	fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);
const headers = fc.record(
	{ 'retry-after': fc.oneof(fc.string(), fc.nat().map(String), fc.constant('Wed, 21 Oct 2099 07:28:00 GMT'), fc.constant('-1')) },
	{ requiredKeys: [] },
);
const status = fc.oneof(fc.constantFrom(200, 401, 403, 404, 412, 429, 500, 502, 503, 504), fc.integer({ min: 100, max: 599 }));

function isSuccessFlag(value: unknown): boolean {
	return value === 1 || value === '1' || value === true;
}

function checkEnvelope(code: number, head: Record<string, string>, text: string): void {
	const response: AtaHttpResponse = { status: code, headers: head, body: Buffer.from(text, 'utf8') };
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	let data: unknown;
	try {
		data = parseEnvelope(response, 'analysis/get');
	} catch (error) {
		expect(error).toBeInstanceOf(AtaError);
		const failure = error as AtaError;
		expect(failure.message).not.toMatch(/[\r\n]/);
		expect(failure.message.length).toBeLessThanOrEqual(400);
		if (failure.retryAfterMs !== undefined) {
			expect(Number.isFinite(failure.retryAfterMs)).toBe(true);
			expect(failure.retryAfterMs).toBeGreaterThanOrEqual(0);
		}
		return;
	}
	const envelopeJson = parsed as { success?: unknown; data?: unknown };
	expect(code).toBeLessThan(400);
	expect(typeof parsed === 'object' && parsed !== null && isSuccessFlag(envelopeJson.success)).toBe(true);
	expect(data).toEqual(envelopeJson.data);
	expect(data).not.toBeUndefined();
}

it('returns data only for success envelopes, and otherwise throws a bounded one-line AtaError', () => {
	fc.assert(fc.property(status, headers, body, checkEnvelope), fuzzParameters());
});

it.each(REGRESSIONS.envelopes)('regression: $note', ({ status: code, headers: head, body: text }) => {
	checkEnvelope(code, head, text);
});
