/** One `process` object per monitored analysis subject, linked to its parent (`child-of`). */
import { baseName, field, nonEmptyText } from './input';
import type { ConversionContext } from './model';
import type { ReportView, SubjectView } from './report';
import type { LinkTargets } from './state';

export function convertProcesses(
	ctx: ConversionContext,
	view: ReportView,
	links: LinkTargets,
): void {
	const byId = new Map<string, SubjectView>();
	const children = new Map<string, SubjectView[]>();
	for (const subject of view.subjects) {
		if (!byId.has(subject.id)) byId.set(subject.id, subject);
		if (subject.parentId !== undefined) {
			const list = children.get(subject.parentId) ?? [];
			list.push(subject);
			children.set(subject.parentId, list);
		}
	}
	for (const subject of view.subjects) {
		const process = field(subject.raw, 'process');
		const executable = field(process, 'executable');
		const image =
			nonEmptyText(field(executable, 'abs_path')) ?? nonEmptyText(field(executable, 'filename'));
		const parent = subject.parentId !== undefined ? byId.get(subject.parentId) : undefined;
		const reason = nonEmptyText(field(field(subject.raw, 'overview'), 'analysis_reason'));
		const object = ctx.object('process', [subject.id, subject.pid ?? ''], 'processes', (draft) => {
			draft.add('pid', subject.pid);
			draft.add('parent-pid', parent?.pid);
			draft.add('command-line', field(process, 'arguments'));
			draft.add('image', image);
			if (image !== undefined) draft.add('name', baseName(image));
			for (const child of children.get(subject.id) ?? []) draft.add('child-pid', child.pid);
			if (reason !== undefined) draft.comment = `Analysis reason: ${reason}`;
		});
		if (!object) continue;
		links.processes.set(subject.index, object);
		if (
			subject.analysisSubjectId !== undefined &&
			!links.processesByAnalysisId.has(subject.analysisSubjectId)
		) {
			links.processesByAnalysisId.set(subject.analysisSubjectId, object);
		}
	}
	for (const subject of view.subjects) {
		const parent = subject.parentId !== undefined ? byId.get(subject.parentId) : undefined;
		if (parent) {
			ctx.reference(
				links.processes.get(subject.index),
				links.processes.get(parent.index),
				'child-of',
			);
		}
	}
}
