/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
/**
 * Property-based robustness: the fixtures mutated at random places with hostile values (wrong
 * types, nulls, huge strings, quotes, control and bidi characters, look-alike hosts), plus
 * random documents. The converter must never throw and every output must stay valid and
 * deterministic. Run count: FUZZ_RUNS (total over this file, default 5000).
 */
import fc from 'fast-check';
import {
	toMispEvent,
	toMispResults,
	toModuleResults,
	type ConvertOptions,
} from '../../../nodes/shared/misp/converter';
import { officialMisp } from '../../support/officialMisp';
import { loadFixture, outputProblems } from './outputChecks';

const TOTAL_RUNS = Math.max(10, Number(process.env.FUZZ_RUNS ?? 5000) || 5000);
const seed = Number(process.env.FUZZ_SEED) || undefined;
const official = officialMisp();
if (!official)
	console.warn(
		'[robustness] official MISP files not found: checking against project knowledge only.',
	);

type Path = (string | number)[];

function allPaths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
	out.push(prefix);
	if (Array.isArray(value)) value.forEach((v, i) => allPaths(v, [...prefix, i], out));
	else if (value && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) allPaths(v, [...prefix, k], out);
	}
	return out;
}

/** Copy-on-write update along one path; `undefined` deletes the key / array slot. */
function setAt(root: unknown, path: Path, value: unknown): unknown {
	if (path.length === 0) return value;
	const [head, ...rest] = path;
	const container: Record<string | number, unknown> | unknown[] = Array.isArray(root)
		? [...root]
		: root && typeof root === 'object'
			? { ...(root as object) }
			: {};
	const current = (container as Record<string | number, unknown>)[head];
	const next = setAt(current, rest, value);
	if (next === undefined && rest.length === 0) {
		if (Array.isArray(container)) container.splice(Number(head), 1);
		else delete (container as Record<string, unknown>)[head];
	} else {
		(container as Record<string | number, unknown>)[head] = next;
	}
	return container;
}

const HUGE = 'A'.repeat(100_000);
const nastyStrings = fc.constantFrom(
	HUGE,
	`${HUGE}.example.com`,
	'"',
	'a"b\\"c',
	'Evil " - T1055"',
	'line\nbreak',
	'\r\n',
	'\u0000\u0001',
	'\u202Egnp.exe',
	'\u2066\u2069\u200B',
	'Global\\\ud800mutex', // unpaired surrogates: PHP's json_decode refuses them
	'\udc00',
	' trailing space \ufeff',
	'B\u00dcCHER.example.',
	'GET /a b\r\nX-Injected: 1 HTTP/1.1',
	'C:\\a\nb.exe',
	'user.lastline.com.evil.example',
	'https://user.lastline.com.evil.example/portal#/analyst/task/x',
	'__proto__',
	'constructor',
	'T1055',
	'T1055.001',
	't9999',
	'T10',
	'::1',
	'2001:db8::1',
	'fe80::1%eth0',
	'999.1.1.1',
	'GET',
	'GET /',
	'POST http://x.example/ HTTP/1.1',
	'   ',
	'',
	'0',
	'-1',
	'65536',
	'wpad',
	'localhost.',
	'EXAMPLE.COM.',
	'c'.repeat(64),
);
const leaf = fc.oneof(
	nastyStrings,
	fc.string({ maxLength: 40 }),
	fc.string({ unit: 'binary', maxLength: 20 }),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
);
const hostile: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 6, arbitrary: leaf },
	{ weight: 1, arbitrary: fc.array(leaf, { maxLength: 4 }) },
	{
		weight: 1,
		arbitrary: fc.dictionary(fc.oneof(nastyStrings, fc.string({ maxLength: 8 })), leaf, {
			maxKeys: 4,
		}),
	},
	{ weight: 1, arbitrary: fc.constant(undefined) },
);

const options = fc.record(
	{
		analysisLink: fc.oneof(
			fc.constant(
				'https://user.lastline.com/portal#/analyst/task/3f2c9a7d41b800101a7e5c2d9b04e6f1/overview',
			),
			nastyStrings,
		),
		hosted: fc.boolean(),
		includeRegistryReads: fc.boolean(),
		analysisTags: fc.oneof(fc.constant(loadFixture('get-analysis-tags.json')), hostile),
		verdict: fc.record({
			maliciousAt: fc.integer({ min: 0, max: 100 }),
			suspiciousAt: fc.integer({ min: 0, max: 100 }),
		}),
		limits: fc.record(
			{ connections: fc.nat(30), registryKeys: fc.nat(30), warnings: fc.nat(30) },
			{ requiredKeys: [] },
		),
	},
	{ requiredKeys: [] },
) as fc.Arbitrary<ConvertOptions>;

// Fields the converter reads as values: half of all edits land on one of these.
const VALUE_KEYS = new Set([
	'task_uuid',
	'score',
	'url',
	'ip',
	'md5',
	'sha1',
	'sha256',
	'mime_type',
	'mime',
	'size',
	'id',
	'name',
	'parent_id',
	'process_id',
	'arguments',
	'abs_path',
	'filename',
	'hostname',
	'results',
	'src_ip',
	'src_port',
	'dst_ip',
	'dst_port',
	'dst_host',
	'protocol',
	'key',
	'value',
	'data',
	'mutex_name',
	'tag',
	'analysis_subject_id',
	'metadata_type',
	'submission',
	'content_type',
]);

function mutator(fixture: unknown) {
	const paths = allPaths(fixture);
	const valuePaths = paths.filter((p) => VALUE_KEYS.has(String(p[p.length - 1])));
	const path = fc.oneof(
		fc.nat(paths.length - 1).map((i) => paths[i]),
		fc.nat(valuePaths.length - 1).map((i) => valuePaths[i]),
	);
	return fc
		.array(fc.tuple(path, hostile), { minLength: 1, maxLength: 8 })
		.map((edits) => edits.reduce<unknown>((doc, [at, value]) => setAt(doc, at, value), fixture));
}

/** Event (which holds everything the other shapes hold) valid and identical when repeated. */
function checkOne(document: unknown, opts: ConvertOptions): void {
	const event = toMispEvent(document, opts);
	const problems = outputProblems(event.Event, official);
	if (problems.length > 0) throw new Error(problems.slice(0, 5).join('\n'));
	if (typeof event.Event.info !== 'string' || !/^[1-4]$/.test(event.Event.threat_level_id)) {
		throw new Error('malformed event header');
	}
	const results = toMispResults(document, opts);
	if (JSON.stringify(results.Object) !== JSON.stringify(event.Event.Object))
		throw new Error('non-deterministic output');
	const module = toModuleResults(document, opts).results;
	if (module.Tag.length !== results.Tag.length) throw new Error('module shape differs');
}

/** The fixture with every list cut to its first three entries: all shapes, a fraction of the size. */
function shrink(value: unknown): unknown {
	if (Array.isArray(value)) return value.slice(0, 3).map(shrink);
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shrink(v)]));
	}
	return value;
}

const fileFixture = loadFixture('get-result-file-complete.json');
const urlFixture = loadFixture('get-result-url-complete.json');

describe('converter robustness (property-based)', () => {
	const runs = (share: number) => ({ numRuns: Math.max(1, Math.round(TOTAL_RUNS * share)), seed });

	it(`whole file fixture, mutated: no exception, valid and deterministic (${runs(0.04).numRuns} runs)`, () => {
		fc.assert(fc.property(mutator(fileFixture), options, checkOne), runs(0.04));
	});

	it(`shrunk file fixture, mutated (${runs(0.4).numRuns} runs)`, () => {
		fc.assert(fc.property(mutator(shrink(fileFixture)), options, checkOne), runs(0.4));
	});

	it(`URL fixture, mutated (${runs(0.24).numRuns} runs)`, () => {
		fc.assert(fc.property(mutator(urlFixture), options, checkOne), runs(0.24));
	});

	it(`random documents and non-documents (${runs(0.32).numRuns} runs)`, () => {
		const document = fc.oneof(
			hostile,
			fc.anything(),
			fc.record({ success: fc.constant(1), data: fc.anything() }),
			fc.record({
				data: fc.object(),
				success: leaf,
				task_uuid: leaf,
				score: leaf,
				analysis_subject: hostile,
				report: hostile,
			}),
		);
		fc.assert(fc.property(document, options, checkOne), runs(0.32));
	});
});
