/**
 * Public API of the ATA analysis → MISP converter. Pure and synchronous: it takes a result
 * document (`analysis/get` / `papi/analysis/get_result` `data`, or the whole envelope) and
 * never throws; anything it cannot use is skipped and reported in `warnings`.
 */
import { checkValue } from '../values';
import { uuidV5 } from '../uuid';
import { convertAttack } from './attack';
import { convertChildTasks } from './childTasks';
import { convertDns } from './dns';
import { convertFiles } from './files';
import { convertHttpConversations } from './httpConversations';
import { asRecord, asText, field, unwrapEnvelope, wellFormed } from './input';
import { resolveLimits, type Limits } from './limits';
import {
	ConversionContext,
	type MispAttribute,
	type MispModel,
	type MispObject,
	type MispTag,
} from './model';
import { convertMutexes } from './mutexes';
import { convertNetworkConnections } from './networkConnections';
import { convertProcesses } from './processes';
import { convertRegistry } from './registry';
import { readReport, type ReportView } from './report';
import { convertSandboxReport } from './sandboxReport';
import { emptyLinkTargets } from './state';
import { convertSubject } from './subject';
import { convertAnalysisTags, verdictTag, workflowStateTag, type VerdictThresholds } from './tags';
import { convertWebRequests } from './webRequests';

export type { LimitName, Limits } from './limits';
export { DEFAULT_LIMITS, PER_TYPE_LIMITS } from './limits';
export type { MispAttribute, MispModel, MispObject, MispObjectReference, MispTag } from './model';
export { workflowStateTag, type WorkflowState } from './tags';
export { ATTACK_GALAXY, attackName, attackTag } from './attack';

export interface ConvertOptions {
	/** Analysis permalink: `permalink` of the sandbox report and the standalone `link` attribute. */
	analysisLink?: string;
	/** true (default) → sandbox-type `saas`; false → `on-premise`. Decided by the caller from its host. */
	hosted?: boolean;
	/** `data` (or envelope) of get_analysis_tags → `av-fam:`, `av-cls:`, `nsx:` event tags. */
	analysisTags?: unknown;
	/** Adds `ata:verdict="malicious|suspicious|benign"` from the score. Off by default. */
	verdict?: VerdictThresholds;
	/** Per-type caps; see DEFAULT_LIMITS. */
	limits?: Partial<Limits>;
	/** Registry reads are noisy (thousands per process); off by default. */
	includeRegistryReads?: boolean;
	/** Emit the analysis link as a standalone `link` attribute (default true when a link is given). */
	linkAttribute?: boolean;
	/**
	 * Where the output will live, e.g. the target event's uuid or id. Mixed into every deterministic
	 * UUID so that one analysis can be added to several events, while re-adding it to the same event
	 * repeats the same UUIDs (and MISP refuses the duplicates). Default: none (event import).
	 */
	uuidScope?: string;
}

export interface EventOptions {
	info?: string;
	distribution?: number;
	threatLevelId?: number;
	analysis?: number;
	/** YYYY-MM-DD; defaults to the submission date in the report. */
	date?: string;
}

export interface MispResults {
	Object: MispObject[];
	Attribute: MispAttribute[];
	Tag: MispTag[];
	warnings: string[];
}

export interface MispEvent {
	uuid: string;
	info: string;
	date?: string;
	threat_level_id: string;
	analysis: string;
	distribution?: string;
	published: false;
	Tag: MispTag[];
	Attribute: MispAttribute[];
	Object: MispObject[];
}

type Section = (ctx: ConversionContext, view: ReportView) => void;

/** Runs one report section; a failure in it costs that section only. */
function runSection(
	ctx: ConversionContext,
	name: string,
	view: ReportView,
	section: Section,
): void {
	try {
		section(ctx, view);
	} catch (error) {
		ctx.warnings.add(
			`Section ${name} failed and was skipped: ${error instanceof Error ? error.message : 'unknown error'}.`,
		);
	}
}

function submissionDate(data: Record<string, unknown>): string | undefined {
	const candidates = [
		field(data, 'submission'),
		field(data, 'last_submission_timestamp'),
		field(field(field(data, 'report'), 'overview'), 'analysis_start'),
	];
	for (const candidate of candidates) {
		const text = asText(candidate);
		const match = text !== undefined ? /^(\d{4})-(\d{2})-(\d{2})/u.exec(text) : null;
		if (!match) continue;
		const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
		if (date.toISOString().startsWith(match[0])) return match[0];
	}
	return undefined;
}

function subjectLabel(data: Record<string, unknown>): {
	kind: MispModel['subject']['kind'];
	label?: string;
} {
	const subject = field(data, 'analysis_subject');
	const url = asText(field(subject, 'url'));
	if (url !== undefined && url.trim() !== '') return { kind: 'url', label: url };
	for (const hash of ['sha256', 'sha1', 'md5'] as const) {
		const value = asText(field(subject, hash));
		if (value !== undefined && checkValue(hash, value).ok)
			return { kind: 'file', label: value.toLowerCase() };
	}
	return { kind: 'unknown' };
}

function safeBuild(result: unknown, options: ConvertOptions): MispModel {
	const data = asRecord(unwrapEnvelope(result));
	const limits = resolveLimits(options.limits);
	if (!data) {
		const ctx = new ConversionContext('no-report', limits);
		ctx.warnings.add('The input is not a result document (expected a JSON object).');
		return {
			seed: ctx.seed,
			complete: false,
			subject: { kind: 'unknown' },
			objects: [],
			attributes: [],
			tags: [],
			warnings: ctx.warnings.finish(),
		};
	}
	const view = readReport(data);
	const subject = subjectLabel(data);
	const analysisKey = view.taskUuid ?? subject.label ?? 'no-task-uuid';
	const scope = typeof options.uuidScope === 'string' && options.uuidScope !== '' ? options.uuidScope : undefined;
	const seed = scope === undefined ? analysisKey : JSON.stringify([scope, analysisKey]);
	const ctx = new ConversionContext(seed, limits);
	if (view.taskUuid === undefined)
		ctx.warnings.add('The report has no task_uuid; UUIDs derive from the subject.');
	const complete = field(data, 'score') !== undefined && field(data, 'score') !== null;
	if (!complete) ctx.warnings.add('The report has no score: the analysis is not complete.');

	let analysisLink: string | undefined;
	if (options.analysisLink !== undefined) {
		const check = checkValue('link', String(options.analysisLink));
		if (check.ok) analysisLink = check.value;
		else
			ctx.warnings.add(
				`The analysis link is not a valid absolute URL and was not used: ${check.reason}`,
			);
	}
	const hosted = options.hosted !== false;
	const links = emptyLinkTargets();
	const tags: string[] = [];

	runSection(ctx, 'subject', view, (c, v) => convertSubject(c, v, links));
	runSection(ctx, 'sandbox-report', view, (c, v) =>
		convertSandboxReport(c, v, links, { hosted, analysisLink }),
	);
	runSection(ctx, 'child-tasks', view, (c, v) =>
		convertChildTasks(c, v, links, { hosted, analysisLink }),
	);
	runSection(ctx, 'processes', view, (c, v) => convertProcesses(c, v, links));
	runSection(ctx, 'files', view, (c, v) => convertFiles(c, v, links));
	runSection(ctx, 'dns', view, (c, v) => convertDns(c, v, links));
	runSection(ctx, 'http-conversations', view, (c, v) => convertHttpConversations(c, v, links));
	runSection(ctx, 'network-connections', view, (c, v) => convertNetworkConnections(c, v, links));
	runSection(ctx, 'web-requests', view, (c, v) => convertWebRequests(c, v, links));
	runSection(ctx, 'registry', view, (c, v) =>
		convertRegistry(c, v, links, options.includeRegistryReads === true),
	);
	runSection(ctx, 'mutexes', view, (c, v) => convertMutexes(c, v, links));
	runSection(ctx, 'attack', view, (c, v) => tags.push(...convertAttack(c, v)));
	if (options.analysisTags !== undefined) {
		runSection(ctx, 'analysis-tags', view, (c) =>
			tags.push(...convertAnalysisTags(c, options.analysisTags)),
		);
	}
	const verdict = verdictTag(view.score, options.verdict);
	if (verdict !== undefined) tags.push(verdict);

	const attributes: MispAttribute[] = [];
	if (analysisLink !== undefined && options.linkAttribute !== false) {
		attributes.push({
			type: 'link',
			category: 'External analysis',
			value: analysisLink,
			to_ids: false,
			uuid: uuidV5(JSON.stringify([seed, 'link', analysisLink])),
			comment: 'NSX ATA analysis',
			Tag: [{ name: workflowStateTag(complete ? 'complete' : 'incomplete') }],
		});
	}
	ctx.reportCaps();
	return {
		taskUuid: view.taskUuid,
		seed,
		complete,
		score: view.score,
		subject,
		date: submissionDate(data),
		objects: ctx.objects,
		attributes,
		tags,
		warnings: ctx.warnings.finish(),
	};
}

/** The one internal model all output shapes are made from. Never throws. */
export function buildMispModel(result: unknown, options: ConvertOptions = {}): MispModel {
	try {
		return safeBuild(result, options ?? {});
	} catch (error) {
		// Last line of defence (e.g. a hostile object with throwing getters): an empty model.
		return {
			seed: 'failed',
			complete: false,
			subject: { kind: 'unknown' },
			objects: [],
			attributes: [],
			tags: [],
			warnings: [`Conversion failed: ${error instanceof Error ? error.message : 'unknown error'}.`],
		};
	}
}

const toTags = (names: string[]): MispTag[] => names.map((name) => ({ name }));

/** Objects, standalone attributes and event tags to add to an existing event. */
export function toMispResults(result: unknown, options: ConvertOptions = {}): MispResults {
	const model = buildMispModel(result, options);
	return {
		Object: model.objects,
		Attribute: model.attributes,
		Tag: toTags(model.tags),
		warnings: model.warnings,
	};
}

function threatLevel(score: number | undefined): number {
	if (score === undefined) return 4;
	if (score >= 70) return 1;
	if (score >= 30) return 2;
	return 3;
}

function clampOption(
	value: number | undefined,
	min: number,
	max: number,
	fallback: number,
): string {
	return String(
		value !== undefined && Number.isInteger(value) && value >= min && value <= max
			? value
			: fallback,
	);
}

/** A complete event for `POST /events/add`: creates event, objects, references and tags in one call. */
export function toMispEvent(
	result: unknown,
	options: ConvertOptions & EventOptions = {},
): { Event: MispEvent; warnings: string[] } {
	const model = buildMispModel(result, options);
	const label = model.subject.label ?? model.taskUuid ?? 'unknown subject';
	const shortLabel = wellFormed(label.length > 200 ? `${label.slice(0, 200)}…` : label);
	const scoreText = model.score !== undefined ? `score ${model.score}` : 'no score yet';
	const date =
		options.date !== undefined && /^\d{4}-\d{2}-\d{2}$/u.test(options.date)
			? options.date
			: model.date;
	const event: MispEvent = {
		uuid: uuidV5(JSON.stringify([model.seed, 'event'])),
		info:
			options.info !== undefined && options.info.trim() !== ''
				? wellFormed(options.info)
				: `NSX ATA analysis of ${shortLabel} (${scoreText})`,
		...(date !== undefined ? { date } : {}),
		threat_level_id: clampOption(options.threatLevelId, 1, 4, threatLevel(model.score)),
		analysis: clampOption(options.analysis, 0, 2, model.complete ? 2 : 1),
		...(options.distribution !== undefined
			? { distribution: clampOption(options.distribution, 0, 5, 0) }
			: {}),
		published: false,
		Tag: toTags(model.tags),
		Attribute: model.attributes,
		Object: model.objects,
	};
	return { Event: event, warnings: model.warnings };
}

/** The misp-modules `misp_standard` answer, for existing MISP tooling. */
export function toModuleResults(
	result: unknown,
	options: ConvertOptions = {},
): { results: { Object: MispObject[]; Attribute: MispAttribute[]; Tag: MispTag[] } } {
	const model = buildMispModel(result, options);
	return {
		results: { Object: model.objects, Attribute: model.attributes, Tag: toTags(model.tags) },
	};
}
