/**
 * One `process` object per monitored analysis subject, linked to its parent (`child-of`).
 * Subjects may share an `overview.id`; the first one holding an id is the process that id
 * names, so each subject has at most one parent and is at most one parent's `child-pid`.
 */
import { baseName, field, isBrokenPath, nonEmptyText, preview, verbatimText } from './input';
import type { ConversionContext } from './model';
import type { ReportView, SubjectView } from './report';
import type { LinkTargets } from './state';

export function convertProcesses(
	ctx: ConversionContext,
	view: ReportView,
	links: LinkTargets,
): void {
	const byId = new Map<string, SubjectView>();
	for (const subject of view.subjects) if (!byId.has(subject.id)) byId.set(subject.id, subject);
	const parentOf = (subject: SubjectView) =>
		subject.parentId !== undefined ? byId.get(subject.parentId) : undefined;
	const children = new Map<number, SubjectView[]>();
	for (const subject of view.subjects) {
		const parent = parentOf(subject);
		if (parent === undefined || parent === subject) continue;
		const list = children.get(parent.index);
		if (list) list.push(subject);
		else children.set(parent.index, [subject]);
	}
	for (const subject of view.subjects) {
		const process = field(subject.raw, 'process');
		const executable = field(process, 'executable');
		let image =
			nonEmptyText(field(executable, 'abs_path')) ?? nonEmptyText(field(executable, 'filename'));
		if (isBrokenPath(image)) {
			ctx.warnings.add(
				`process: left out the image ${preview(image)}: a line break or NUL is not part of a Windows path.`,
			);
			image = undefined;
		}
		const parent = parentOf(subject);
		const reason = nonEmptyText(field(field(subject.raw, 'overview'), 'analysis_reason'));
		const object = ctx.object('process', [subject.id, subject.pid ?? ''], 'processes', (draft) => {
			draft.add('pid', subject.pid);
			draft.add('parent-pid', parent?.pid);
			draft.add('command-line', verbatimText(field(process, 'arguments')));
			draft.add('image', image);
			if (image !== undefined) draft.add('name', baseName(image));
			for (const child of children.get(subject.index) ?? []) draft.add('child-pid', child.pid);
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
		const parent = parentOf(subject);
		if (parent) {
			ctx.reference(
				links.processes.get(subject.index),
				links.processes.get(parent.index),
				'child-of',
			);
		}
	}
}
