import { createHash } from 'node:crypto';

import { formatAtaTime, wholeSecond } from './ataTime';
import { readFixtureData } from './fixtures';
import { generateResultDocument, generateTaskUuid, type ResultDocument } from './reportGenerator';
import { createSeededRandom, deriveSeed, type SeededRandom } from './seededRandom';
import type { Submission, TaskSeed } from './types';

type Json = Record<string, unknown>;

export interface StoredTask {
	uuid: string;
	kind: 'file' | 'url';
	md5?: string;
	sha1?: string;
	sha256?: string;
	mimeType?: string;
	filename?: string;
	url?: string;
	submittedAt: number;
	/** When the service's clock finishes the analysis (clock completion); unset in poll-counted mode. */
	completesAt?: number;
	completedAt?: number;
	/** Progress/result calls answered while pending (counted only in poll-counted mode). */
	polls: number;
	score: number;
	reportSizeBytes: number;
	/** Given, loaded from a fixture, or generated on first use. */
	result?: ResultDocument;
	analysisTags?: Json[];
}

/**
 * How a pending task finishes: on the clock a fixed time (plus a seeded random spread) after
 * submission, as the service does, or, for tests that need it, after a number of polls.
 */
export type Completion = { afterMs: number; spreadMs: number } | { afterPolls: number };

export interface TaskStoreSettings {
	seed: number;
	clock: () => number;
	completion: Completion;
	reportSizeBytes: number;
}

export interface FileSubmission {
	via: 'upload' | 'hash';
	content?: Buffer;
	/** For submit-by-hash: whichever of md5/sha1/sha256 the client sent. */
	hashes?: { md5?: string; sha1?: string; sha256?: string };
	filename?: string;
	bypassCache: boolean;
}

export const FIXTURE_FILE_TASK = '3f2c9a7d41b800101a7e5c2d9b04e6f1';
export const FIXTURE_URL_TASK = 'b71e04c2a95d0010237f8e61c4d0a9b3';
/** The fixture file's sha256 (submit-by-hash or hash lookup finds the fixture task) and the fixture URL. */
export const FIXTURE_FILE_SHA256 =
	'7dc05efc9d1ce1ae43166de028add06de00beca39c9b9be2a6c55d491f228fed';
export const FIXTURE_URL = 'http://login.webmail-verify.example.com/owa/?realm=corp.example';

const SCORES = [0, 10, 30, 45, 70, 85, 100];
const FAMILIES = ['synthloader', 'fakebank', 'mirrorstealer', 'dropkit'];

/** Tasks, their completion, the documents they serve, and every accepted submission. */
export class TaskStore {
	readonly tasks = new Map<string, StoredTask>();
	readonly submissions: Submission[] = [];
	private readonly random: SeededRandom;

	constructor(private readonly settings: TaskStoreSettings) {
		this.random = createSeededRandom(deriveSeed(settings.seed, 'task-uuids'));
		this.loadFixtureTasks();
	}

	private now(): number {
		return this.settings.clock();
	}

	private loadFixtureTasks(): void {
		const file = readFixtureData('get-result-file-complete');
		const fileSubject = file.analysis_subject as Json;
		this.tasks.set(FIXTURE_FILE_TASK, {
			uuid: FIXTURE_FILE_TASK,
			kind: 'file',
			md5: String(fileSubject.md5),
			sha1: String(fileSubject.sha1),
			sha256: String(fileSubject.sha256),
			mimeType: String(fileSubject.mime_type),
			filename: 'Invoice_4471.doc',
			submittedAt: Date.UTC(2024, 2, 18, 9, 41, 7),
			completedAt: Date.UTC(2024, 2, 18, 9, 48, 52),
			polls: 0,
			score: Number(file.score),
			reportSizeBytes: 0,
			result: file,
			analysisTags: readFixtureData('get-analysis-tags').analysis_tags as Json[],
		});
		const url = readFixtureData('get-result-url-complete');
		this.tasks.set(FIXTURE_URL_TASK, {
			uuid: FIXTURE_URL_TASK,
			kind: 'url',
			url: String((url.analysis_subject as Json).url),
			submittedAt: Date.UTC(2024, 2, 19, 14, 7, 12),
			completedAt: Date.UTC(2024, 2, 19, 14, 9, 51),
			polls: 0,
			score: Number(url.score),
			reportSizeBytes: 0,
			result: url,
		});
	}

	get(uuid: string): StoredTask | undefined {
		const task = this.tasks.get(uuid);
		if (task) this.applyClock(task);
		return task;
	}

	/** Clock completion is materialised lazily; call before any listing so every due task is seen. */
	refreshAll(): void {
		for (const task of this.tasks.values()) this.applyClock(task);
	}

	/** A due task finished at its scheduled time, whoever asks and whenever. */
	private applyClock(task: StoredTask): void {
		if (task.completedAt === undefined && task.completesAt !== undefined && this.now() >= task.completesAt)
			task.completedAt = task.completesAt;
	}

	complete(task: StoredTask): void {
		if (task.completedAt === undefined) task.completedAt = this.now();
	}

	/** Poll-counted mode only: the call after `afterPolls` pending answers sees the task complete. */
	poll(task: StoredTask): void {
		const { completion } = this.settings;
		if (task.completedAt !== undefined || !('afterPolls' in completion)) return;
		if (task.polls >= completion.afterPolls) this.complete(task);
		else task.polls++;
	}

	/** Percent done: the elapsed share of the analysis time (at most 99 until done), or of the polls. */
	progress(task: StoredTask): number {
		if (task.completedAt !== undefined) return 100;
		const { completion } = this.settings;
		if ('afterPolls' in completion)
			return Math.min(90, Math.round((100 * task.polls) / (completion.afterPolls + 1)));
		const total = (task.completesAt ?? task.submittedAt) - task.submittedAt;
		const elapsed = this.now() - task.submittedAt;
		return total <= 0 ? 99 : Math.max(0, Math.min(99, Math.floor((100 * elapsed) / total)));
	}

	/** The scheduled finish of a new pending task: the fixed delay plus a seeded share of the spread. */
	private completionTime(submittedAt: number, uuid: string): number | undefined {
		const { completion } = this.settings;
		if ('afterPolls' in completion) return undefined;
		const spread = createSeededRandom(deriveSeed(this.settings.seed, uuid, 'completion')).int(
			completion.spreadMs + 1,
		);
		return submittedAt + completion.afterMs + spread;
	}

	add(seed: TaskSeed): StoredTask {
		const content = typeof seed.content === 'string' ? Buffer.from(seed.content) : seed.content;
		const hashes = content ? hashContent(content) : undefined;
		const uuid = seed.taskUuid ?? this.newUuid();
		const task: StoredTask = {
			uuid,
			kind: seed.kind,
			submittedAt: seed.submittedAt ?? this.now(),
			polls: 0,
			score:
				seed.score ??
				this.defaultScore(
					seed.kind === 'url' ? (seed.url ?? uuid) : (hashes?.sha256 ?? seed.sha256 ?? uuid),
				),
			reportSizeBytes: seed.reportSizeBytes ?? this.settings.reportSizeBytes,
			...(seed.result ? { result: seed.result } : {}),
		};
		if (seed.kind === 'url') {
			task.url = seed.url ?? `http://sample-${uuid.slice(0, 8)}.example.com/`;
		} else {
			const fake = createSeededRandom(deriveSeed(this.settings.seed, uuid, 'hashes'));
			task.md5 = (hashes?.md5 ?? seed.md5 ?? fake.hex(32)).toLowerCase();
			task.sha1 = (hashes?.sha1 ?? seed.sha1 ?? fake.hex(40)).toLowerCase();
			task.sha256 = (hashes?.sha256 ?? seed.sha256 ?? fake.hex(64)).toLowerCase();
			task.mimeType =
				seed.mimeType ?? (content ? sniffMimeType(content) : 'application/octet-stream');
			if (seed.filename !== undefined) task.filename = seed.filename;
		}
		this.tasks.set(uuid, task);
		if ((seed.state ?? 'complete') === 'complete') this.complete(task);
		else {
			const completesAt = this.completionTime(task.submittedAt, uuid);
			if (completesAt !== undefined) task.completesAt = completesAt;
			this.applyClock(task);
		}
		return task;
	}

	private newUuid(): string {
		let uuid = generateTaskUuid(this.random);
		while (this.tasks.has(uuid)) uuid = generateTaskUuid(this.random);
		return uuid;
	}

	private defaultScore(contentKey: string): number {
		return createSeededRandom(deriveSeed(this.settings.seed, contentKey, 'score')).pick(SCORES);
	}

	/** Tasks for a file hash of any algorithm, latest expiry first (clients take tasks[0] or the latest). */
	findFileTasks(hash: string): StoredTask[] {
		const value = hash.toLowerCase();
		this.refreshAll();
		return [...this.tasks.values()]
			.filter(
				(task) =>
					task.kind === 'file' &&
					(task.md5 === value || task.sha1 === value || task.sha256 === value),
			)
			.sort((a, b) => b.submittedAt - a.submittedAt);
	}

	private findUrlTasks(url: string): StoredTask[] {
		this.refreshAll();
		return [...this.tasks.values()]
			.filter((task) => task.kind === 'url' && task.url === url)
			.sort((a, b) => b.submittedAt - a.submittedAt);
	}

	/** Returns undefined for submit-by-hash of a file never seen (the API's error 101). */
	submitFile(submission: FileSubmission): { task: StoredTask; cached: boolean } | undefined {
		const hashes = submission.content ? hashContent(submission.content) : (submission.hashes ?? {});
		const known = [hashes.sha256, hashes.sha1, hashes.md5]
			.filter((h): h is string => !!h)
			.flatMap((h) => this.findFileTasks(h));
		if (!submission.content && known.length === 0) return undefined;
		const cachedTask = submission.bypassCache ? undefined : known[0];
		const task =
			cachedTask ??
			this.add({
				kind: 'file',
				state: 'pending',
				...(submission.content
					? { content: submission.content }
					: {
							md5: known[0].md5,
							sha1: known[0].sha1,
							sha256: known[0].sha256,
							mimeType: known[0].mimeType,
						}),
				...(submission.filename !== undefined ? { filename: submission.filename } : {}),
			});
		this.record({
			kind: 'file',
			via: submission.via,
			taskUuid: task.uuid,
			contentKey: task.sha256 ?? '',
			cached: !!cachedTask,
			bypassCache: submission.bypassCache,
			...(submission.filename !== undefined ? { filename: submission.filename } : {}),
		});
		return { task, cached: !!cachedTask };
	}

	submitUrl(url: string, bypassCache: boolean): { task: StoredTask; cached: boolean } {
		const cachedTask = bypassCache ? undefined : this.findUrlTasks(url)[0];
		const task = cachedTask ?? this.add({ kind: 'url', url, state: 'pending' });
		this.record({
			kind: 'url',
			via: 'url',
			taskUuid: task.uuid,
			contentKey: url,
			cached: !!cachedTask,
			bypassCache,
		});
		return { task, cached: !!cachedTask };
	}

	private record(submission: Omit<Submission, 'sequence' | 'at'>): void {
		this.submissions.push({ sequence: this.submissions.length + 1, at: this.now(), ...submission });
	}

	result(task: StoredTask): ResultDocument {
		task.result ??= generateResultDocument({
			kind: task.kind,
			seed: deriveSeed(this.settings.seed, task.uuid, 'report'),
			targetBytes: task.reportSizeBytes,
			taskUuid: task.uuid,
			score: task.score,
			submittedAt: task.submittedAt,
			subject:
				task.kind === 'url'
					? { url: task.url ?? '' }
					: {
							md5: task.md5 ?? '',
							sha1: task.sha1 ?? '',
							sha256: task.sha256 ?? '',
							mime_type: task.mimeType ?? '',
						},
			...(task.filename !== undefined ? { filename: task.filename } : {}),
		});
		return task.result;
	}

	/** The submission answer: pending → uuid and times only; complete → the summary with `score` (§7). */
	submissionAnswer(task: StoredTask, reportThreshold: number | undefined): Json {
		const now = formatAtaTime(this.now());
		if (task.completedAt === undefined) {
			return {
				task_uuid: task.uuid,
				submission_timestamp: now,
				expires: formatAtaTime(task.submittedAt + (task.kind === 'file' ? 48 : 24) * 3_600_000),
			};
		}
		const { report, ...summary } = this.result(task);
		delete summary.activity_to_mitre_techniques; // the summary answer carries no ATT&CK map (fixture)
		return {
			...summary,
			...(includeReport(task.score, reportThreshold) ? { report } : {}),
			submission_timestamp: now,
		};
	}

	analysisTags(task: StoredTask): Json[] {
		if (task.analysisTags) return task.analysisTags;
		const document = this.result(task);
		const tags: Json[] = [];
		if (task.score >= 70) {
			const family = createSeededRandom(deriveSeed(this.settings.seed, task.uuid, 'family')).pick(
				FAMILIES,
			);
			tags.push(
				typedTag('av_family', family, task.score),
				typedTag('av_class', 'trojan', task.score),
				typedTag('lastline_malware', family, task.score),
			);
		}
		// Seeded documents may lack activities (or carry hostile shapes): tag only real strings.
		const activities = Array.isArray(document.malicious_activity) ? document.malicious_activity : [];
		for (const activity of activities) {
			if (typeof activity === 'string') tags.push(typedTag('activity', activity, task.score));
		}
		return tags;
	}

	/** Completed tasks whose completion second lies in [fromMs, toMs), oldest first. */
	completedIn(fromMs: number, toMs: number): StoredTask[] {
		this.refreshAll();
		return [...this.tasks.values()]
			.filter(
				(task) =>
					task.completedAt !== undefined &&
					wholeSecond(task.completedAt) >= fromMs &&
					wholeSecond(task.completedAt) < toMs,
			)
			.sort((a, b) => (a.completedAt ?? 0) - (b.completedAt ?? 0));
	}

	static hashLookupEntry(task: StoredTask): Json {
		return {
			expires: formatAtaTime(task.submittedAt + 48 * 3_600_000),
			file_sha1: task.sha1,
			file_md5: task.md5,
			task_uuid: task.uuid,
			score: task.score,
			file_sha256: task.sha256,
		};
	}
}

/** §5.3 `full_report_score`: the report is embedded only when 0 ≤ threshold ≤ 100 and score ≥ threshold. */
export function includeReport(score: number, threshold: number | undefined): boolean {
	if (threshold === undefined) return false;
	return threshold >= 0 && threshold <= 100 && score >= threshold;
}

function typedTag(type: string, value: string, score: number): Json {
	return { data: { score, type, value }, format: 'typed_tag' };
}

function hashContent(content: Buffer): { md5: string; sha1: string; sha256: string } {
	return {
		md5: createHash('md5').update(content).digest('hex'),
		sha1: createHash('sha1').update(content).digest('hex'),
		sha256: createHash('sha256').update(content).digest('hex'),
	};
}

function sniffMimeType(content: Buffer): string {
	const head = content.subarray(0, 8);
	if (head.subarray(0, 2).toString('latin1') === 'MZ') return 'application/x-pe-app-32bit-i386';
	if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0])))
		return 'application/msword';
	if (head.subarray(0, 4).toString('latin1') === '%PDF') return 'application/pdf';
	if (head.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') return 'application/zip';
	return /^[\t\n\r\x20-\x7e]*$/.test(content.subarray(0, 512).toString('latin1'))
		? 'text/plain'
		: 'application/octet-stream';
}
