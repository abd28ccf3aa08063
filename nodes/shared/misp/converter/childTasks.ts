/** Child tasks (files extracted or created during analysis, pcap analyses) as `sandbox-report`s. */
import { asList, asNumber, field, nonEmptyText } from './input';
import type { ConversionContext } from './model';
import type { ReportView } from './report';
import { SANDBOX_NAME } from './sandboxReport';
import type { LinkTargets } from './state';

/** The parent's link with its task uuid swapped for the child's, when the link names the parent. */
function childLink(parentLink: string | undefined, parentUuid: string | undefined, child: string) {
	if (parentLink === undefined || parentUuid === undefined || !/^[0-9a-f]{32}$/iu.test(child)) {
		return undefined;
	}
	return parentLink.includes(parentUuid) ? parentLink.replace(parentUuid, child) : undefined;
}

export function convertChildTasks(
	ctx: ConversionContext,
	view: ReportView,
	links: LinkTargets,
	options: { hosted: boolean; analysisLink?: string },
): void {
	for (const entry of asList(field(view.data, 'child_tasks'))) {
		const uuid = nonEmptyText(field(entry, 'task_uuid'));
		if (uuid === undefined) {
			ctx.warnings.add('child_tasks: entry without task_uuid skipped.');
			continue;
		}
		const tag = nonEmptyText(field(entry, 'tag'));
		const score = asNumber(field(entry, 'score'));
		const child = ctx.object('sandbox-report', ['child', uuid], 'childTasks', (draft) => {
			draft.add('sandbox-type', options.hosted ? 'saas' : 'on-premise');
			draft.add(options.hosted ? 'saas-sandbox' : 'on-premise-sandbox', SANDBOX_NAME);
			if (score !== undefined && score >= 0 && score <= 100) draft.add('score', score);
			draft.add('permalink', childLink(options.analysisLink, view.taskUuid, uuid));
			draft.comment = `ATA child task ${uuid}${tag !== undefined ? ` (${tag})` : ''}`;
		});
		ctx.reference(child, links.sandboxReport, 'derived-from');
	}
}
