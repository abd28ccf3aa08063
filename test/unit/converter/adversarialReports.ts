/**
 * Result documents shaped to make a converter's output or work explode: many subjects sharing
 * one `overview.id`, long parent chains, parent cycles and huge arrays behind one object
 * (DNS answers of one name, names of one file, signatures, techniques). Deterministic: the same
 * shape and size always give the same document. Used by the bounded-conversion tests and by
 * `npm run bench:convert`.
 */

export type AdversarialShape = 'sharedIds' | 'chain' | 'cycle' | 'hugeArrays' | 'mixed';

export const ADVERSARIAL_SHAPES: readonly AdversarialShape[] = [
	'sharedIds',
	'chain',
	'cycle',
	'hugeArrays',
	'mixed',
];

const SHA256 = 'ab'.repeat(32);
const ip = (i: number) => `198.51.${(i >> 8) & 255}.${i & 255}`;

function subjects(shape: AdversarialShape, count: number): unknown[] {
	return Array.from({ length: count }, (_, i) => {
		const id =
			shape === 'sharedIds' || (shape === 'mixed' && i % 2 === 0) ? '1' : String(i + 1);
		const parent =
			shape === 'chain' ? i : shape === 'cycle' ? ((i + 1) % count) + 1 : 1;
		return {
			overview: { id, parent_id: String(parent) },
			process: { process_id: String(1000 + i), arguments: `p${i}.exe /c` },
			mutex_creates: [{ mutex_name: `M${i % 50}` }],
		};
	});
}

function hugeArrays(count: number): Record<string, unknown> {
	return {
		analysis_subjects: [
			{
				overview: { id: '1' },
				process: { process_id: '1' },
				dns_queries: [
					{ hostname: 'one.example.com', results: Array.from({ length: count }, (_, i) => ip(i)) },
				],
				file_writes: Array.from({ length: count }, (_, i) => ({
					abs_path: `C:\\d\\f${i}.bin`,
					ext_info: { sha256: SHA256 },
				})),
				mutex_opens: Array.from({ length: count }, (_, i) => ({ mutex_name: `N${i}` })),
			},
		],
	};
}

/** A document with `count` repetitions of the shape's growing part. */
export function adversarialReport(shape: AdversarialShape, count: number): Record<string, unknown> {
	const report =
		shape === 'hugeArrays'
			? hugeArrays(count)
			: shape === 'mixed'
				? {
						analysis_subjects: [
							...subjects('mixed', Math.ceil(count / 2)),
							...(hugeArrays(Math.ceil(count / 2)).analysis_subjects as unknown[]),
						],
					}
				: { analysis_subjects: subjects(shape, count) };
	const techniques = Array.from({ length: Math.min(count, 2000) }, (_, i) => ({
		id: 'T1055',
		name: `Process Injection ${i}`,
	}));
	return {
		task_uuid: '0123456789abcdef0010adadadadadad',
		score: 100,
		analysis_subject: { sha256: SHA256 },
		malicious_activity: Array.from({ length: count }, (_, i) => `Signature ${i}`),
		activity_to_mitre_techniques: { 'Injection: many names for one id': techniques },
		report,
	};
}

/** The shape at roughly `targetBytes` of JSON (within a few percent). */
export function adversarialReportOfSize(
	shape: AdversarialShape,
	targetBytes: number,
): Record<string, unknown> {
	// Two probes past the 2,000-technique cap: a fixed part plus a per-unit size.
	const size = (count: number) => JSON.stringify(adversarialReport(shape, count)).length;
	const small = size(2000);
	const perUnit = (size(4000) - small) / 2000;
	const count = Math.round(2000 + (targetBytes - small) / perUnit);
	return adversarialReport(shape, Math.max(1, count));
}
