/** `sandbox-report` for the task and `sb-signature` for its malicious activities. */
import { asList, field, preview, verbatimText } from './input';
import type { ConversionContext } from './model';
import type { ReportView } from './report';
import type { LinkTargets } from './state';

export const SANDBOX_NAME = 'vmware-nsx-ata';
export const SIGNATURE_SOFTWARE = 'VMware NSX Advanced Threat Analyzer';

export interface SandboxOptions {
	hosted: boolean;
	analysisLink?: string;
}

export function convertSandboxReport(
	ctx: ConversionContext,
	view: ReportView,
	links: LinkTargets,
	options: SandboxOptions,
): void {
	const report = ctx.object('sandbox-report', ['task'], undefined, (draft) => {
		draft.add('sandbox-type', options.hosted ? 'saas' : 'on-premise');
		draft.add(options.hosted ? 'saas-sandbox' : 'on-premise-sandbox', SANDBOX_NAME);
		if (view.score !== undefined) draft.add('score', view.score);
		if (options.analysisLink !== undefined) draft.add('permalink', options.analysisLink);
		if (view.taskUuid !== undefined) draft.comment = `ATA task ${view.taskUuid}`;
	});
	links.sandboxReport = report;
	ctx.reference(links.subject, report, 'analysed-with');

	const activities: string[] = [];
	const seen = new Set<string>();
	for (const entry of asList(field(view.data, 'malicious_activity'))) {
		const text = verbatimText(entry);
		if (text === undefined) {
			if (typeof entry !== 'string')
				ctx.warnings.add(`malicious_activity: skipped ${preview(entry)}: not text.`);
			continue;
		}
		if (seen.has(text)) continue;
		seen.add(text);
		if (ctx.take('signatures')) activities.push(text);
	}
	if (activities.length === 0) return;
	const signatures = ctx.object('sb-signature', ['activities'], undefined, (draft) => {
		draft.add('software', SIGNATURE_SOFTWARE);
		for (const activity of activities) draft.add('signature', activity);
	});
	ctx.reference(signatures, report, 'part-of');
}
