/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * Value checks run in linear time: every attribute type against 64 KB strings built to make a
 * backtracking pattern explode (long runs of what a pattern's overlapping parts both accept,
 * followed by a character that makes the match fail at the very end), just under MISP's size limit. The bound here is
 * deliberately generous so the test cannot flake on a busy machine; the old float and link
 * checks took seconds on such strings. Real per-check times: `npm run bench:convert`.
 */
import fc from 'fast-check';
import { ATTRIBUTE_TYPES } from '../../../nodes/shared/misp/attributeTypes';
import { checkValue } from '../../../nodes/shared/misp/values';
import { adversarialValues, ADVERSARIAL_VALUE_BYTES, run } from './adversarialValues';

const BOUND_MS = 250;

function slowest(type: string, values: string[]): { ms: number; value: string } {
	let worst = { ms: 0, value: '' };
	for (const value of values) {
		const start = performance.now();
		checkValue(type, value);
		const ms = performance.now() - start;
		if (ms > worst.ms) worst = { ms, value };
	}
	return worst;
}

describe('linear-time value checks', () => {
	const values = adversarialValues();

	it('builds adversarial strings of 64 KB, just within the 65,535-byte limit', () => {
		const sizes = values.map((v) => Buffer.byteLength(v));
		expect(sizes.every((size) => size > ADVERSARIAL_VALUE_BYTES - 16 && size <= 65_535)).toBe(true);
	});

	it.each(Object.keys(ATTRIBUTE_TYPES))(`%s: every 64 KB adversarial value in < ${BOUND_MS} ms`, (type) => {
		const worst = slowest(type, values);
		expect([worst.value.slice(0, 40), worst.ms < BOUND_MS]).toEqual([worst.value.slice(0, 40), true]);
	});

	it('random repetitions of pattern-relevant characters, 64 KB, any type', () => {
		const types = Object.keys(ATTRIBUTE_TYPES);
		const unit = fc.string({
			unit: fc.constantFrom('1', 'a', '.', ':', '/', '-', '_', 'e', '+', ' ', '\n', '"', ',', '#', 'é', '\u0001'),
			minLength: 1,
			maxLength: 6,
		});
		fc.assert(
			fc.property(fc.constantFrom(...types), unit, unit, (type, body, tail) => {
				expect(slowest(type, [run(body, tail)]).ms).toBeLessThan(BOUND_MS);
			}),
			{ numRuns: 300, seed: Number(process.env.FUZZ_SEED) || undefined },
		);
	});

	it('keeps the accepted forms of the rewritten checks', () => {
		const accepted = (type: string, value: string) => checkValue(type, value).ok;
		expect(['1', '-1.5e3', '+.5', '2.', '3.25E-2'].map((v) => accepted('float', v))).toEqual([
			true, true, true, true, true,
		]);
		expect(['.', '1e', 'e1', '1.2.3', '--1'].map((v) => accepted('float', v))).toEqual([
			false, false, false, false, false,
		]);
		expect(
			['https://a', 'hxxp+s.x://host/p?q#f', 'ftp://h:21/'].map((v) => accepted('link', v)),
		).toEqual([true, true, true]);
		expect(
			['https://', 'https:///p', 'https://?q', 'https://a b', 'https://é.example', 'a://#'].map(
				(v) => accepted('link', v),
			),
		).toEqual([false, false, false, false, false, false]);
		expect(
			['a.bc', 'a_b.c-d.e1', '-.--', '_.ab'].map((v) => accepted('hostname', v)),
		).toEqual([true, true, true, true]);
		expect(
			['.ab', 'a.b', 'ab', 'a.b_c', 'a.bc.', 'a..b'].map((v) => accepted('hostname', v)),
		).toEqual([false, false, false, false, false, false]);
	});
});
