/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * Bounded conversion: output and work grow at most linearly with the report. Work is counted,
 * not timed (so the test cannot flake): every value check and every UUID hash the converter
 * does, weighted by the characters it reads. Reports come from adversarialReports.ts (shared
 * ids, long chains, cycles, huge arrays) and from fast-check mixing those parts at random.
 */
import fc from 'fast-check';
import { toMispEvent, type ConvertOptions } from '../../../nodes/shared/misp/converter';
import * as uuid from '../../../nodes/shared/misp/uuid';
import * as values from '../../../nodes/shared/misp/values';
import { ADVERSARIAL_SHAPES, adversarialReport } from './adversarialReports';
import { officialMisp } from '../../support/officialMisp';
import { outputProblems } from './outputChecks';

/** Output bytes per input byte, plus room for the fixed part (task report, tags, link). */
const OUTPUT_FACTOR = 10;
const OUTPUT_CONSTANT = 20_000;
/** Characters checked or hashed per input byte. */
const WORK_FACTOR = 20;
const WORK_CONSTANT = 20_000;

interface Measured {
	inputBytes: number;
	outputBytes: number;
	attributes: number;
	work: number;
	warnings: string[];
}

function measure(document: unknown, options: ConvertOptions = {}): Measured {
	let work = 0;
	const check = jest.spyOn(values, 'checkValue');
	const hash = jest.spyOn(uuid, 'uuidV5');
	try {
		const out = toMispEvent(document, options);
		for (const [, value] of check.mock.calls) work += 1 + String(value).length;
		for (const [name] of hash.mock.calls) work += 1 + String(name).length;
		return {
			inputBytes: Buffer.byteLength(JSON.stringify(document)),
			outputBytes: Buffer.byteLength(JSON.stringify(out.Event)),
			attributes: out.Event.Object.reduce((sum, o) => sum + o.Attribute.length, 0),
			work,
			warnings: out.warnings,
		};
	} finally {
		check.mockRestore();
		hash.mockRestore();
	}
}

function expectLinear(m: Measured): void {
	expect(m.outputBytes).toBeLessThanOrEqual(OUTPUT_FACTOR * m.inputBytes + OUTPUT_CONSTANT);
	expect(m.work).toBeLessThanOrEqual(WORK_FACTOR * m.inputBytes + WORK_CONSTANT);
}

describe('bounded conversion', () => {
	it('subjects sharing one overview.id give each child pid to one parent only (was 1,002,055 attributes)', () => {
		const m = measure(adversarialReport('sharedIds', 2000));
		// 500 processes (cap) with pid, parent-pid, command-line; the first holds 1,000 child
		// pids (per-relation cap) of its 1,999 children; the task's 3 objects; 1 mutex per name.
		expect(m.warnings).toContain(
			'Limit valuesPerRelation=1000 reached: 999 further values of process.child-pid were left out.',
		);
		expect(m.attributes).toBeLessThan(4000);
		expectLinear(m);
	});

	it.each(ADVERSARIAL_SHAPES)('%s: output and work within k × input at 3 sizes', (shape) => {
		for (const count of [10, 300, 3000]) expectLinear(measure(adversarialReport(shape, count)));
	});

	it.each(ADVERSARIAL_SHAPES)('%s: work grows at most linearly (8× input → ≤ 8× work)', (shape) => {
		const small = measure(adversarialReport(shape, 400));
		const large = measure(adversarialReport(shape, 3200));
		const inputRatio = large.inputBytes / small.inputBytes;
		expect(large.work / small.work).toBeLessThanOrEqual(inputRatio * 1.1);
		expect(large.outputBytes / small.outputBytes).toBeLessThanOrEqual(inputRatio * 1.1);
	});

	it('caps the attributes of one analysis and says what was left out', () => {
		const m = measure(adversarialReport('chain', 300), { limits: { attributes: 100 } });
		expect(m.attributes).toBe(100);
		expect(m.warnings[m.warnings.length - 1]).toMatch(
			/^Limit attributes=100 reached: \d+ further attributes and \d+ further objects were left out \(.*process.*\)\.$/u,
		);
	});

	it('random mixes of the adversarial parts stay within k × input and valid (official templates when present)', () => {
		const part = fc.record({
			shape: fc.constantFrom(...ADVERSARIAL_SHAPES),
			count: fc.integer({ min: 1, max: 600 }),
		});
		fc.assert(
			fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), (parts) => {
				const documents = parts.map(({ shape, count }) => adversarialReport(shape, count));
				const merged = {
					...documents[0],
					malicious_activity: documents.flatMap((d) => d.malicious_activity as unknown[]),
					report: {
						analysis_subjects: documents.flatMap(
							(d) => (d.report as { analysis_subjects: unknown[] }).analysis_subjects,
						),
					},
				};
				expectLinear(measure(merged));
				expect(outputProblems(toMispEvent(merged).Event, officialMisp())).toEqual([]);
			}),
			{ numRuns: 25, seed: Number(process.env.FUZZ_SEED) || undefined },
		);
	});
});
