/** Workflow, AV-label and verdict tags. */
import { asList, asText, field, hasLoneSurrogate, unwrapEnvelope } from './input';
import type { ConversionContext } from './model';
import { cleanTagText, fitsTag } from './tagText';

export type WorkflowState = 'complete' | 'incomplete';

/** The workflow taxonomy's canonical form, with double quotes. */
export function workflowStateTag(state: WorkflowState): string {
	return `workflow:state="${state}"`;
}

const AV_PREFIXES: Readonly<Record<string, string>> = {
	av_family: 'av-fam',
	av_class: 'av-cls',
	lastline_malware: 'nsx',
};

/** `av-fam:`, `av-cls:` and `nsx:` tags from the `data` (or envelope) of get_analysis_tags. */
export function convertAnalysisTags(ctx: ConversionContext, analysisTags: unknown): string[] {
	const tags: string[] = [];
	const seen = new Set<string>();
	for (const entry of asList(field(unwrapEnvelope(analysisTags), 'analysis_tags'))) {
		const data = field(entry, 'data');
		const type = asText(field(data, 'type'));
		const prefix =
			type !== undefined && Object.prototype.hasOwnProperty.call(AV_PREFIXES, type)
				? AV_PREFIXES[type]
				: undefined;
		const raw = asText(field(data, 'value'));
		if (prefix === undefined || raw === undefined) continue;
		if (hasLoneSurrogate(raw))
			ctx.warnings.add(`Analysis tags: replaced an unpaired UTF-16 surrogate in a ${type} value with U+FFFD.`);
		const value = cleanTagText(raw);
		const tag = `${prefix}:${value}`;
		if (value === '' || !fitsTag(tag)) {
			ctx.warnings.add(`Analysis tags: skipped an unusable ${type} value.`);
			continue;
		}
		if (seen.has(tag)) continue;
		seen.add(tag);
		if (ctx.take('avTags')) tags.push(tag);
	}
	return tags;
}

export interface VerdictThresholds {
	maliciousAt: number;
	suspiciousAt?: number;
}

/** `ata:verdict="malicious"|"suspicious"|"benign"` from the score, when thresholds are given. */
export function verdictTag(score: number | undefined, verdict: VerdictThresholds | undefined) {
	if (verdict === undefined || score === undefined || !Number.isFinite(verdict.maliciousAt))
		return undefined;
	if (score >= verdict.maliciousAt) return 'ata:verdict="malicious"';
	if (
		verdict.suspiciousAt !== undefined &&
		Number.isFinite(verdict.suspiciousAt) &&
		score >= verdict.suspiciousAt
	) {
		return 'ata:verdict="suspicious"';
	}
	return 'ata:verdict="benign"';
}
