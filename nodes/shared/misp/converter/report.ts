/** A read-once view of the parts of a result document that several sections need. */
import { asList, asNumber, asRecord, asText, field, nonEmptyText, type JsonRecord } from './input';

export interface SubjectView {
	index: number;
	raw: JsonRecord;
	/** `overview.id`, or the position (1-based) when the report has none. */
	id: string;
	parentId?: string;
	/** `process.analysis_subject_id`, which `generated_file` metadata refers to. */
	analysisSubjectId?: string;
	pid?: string;
}

export interface ReportView {
	data: JsonRecord;
	report: JsonRecord | undefined;
	taskUuid?: string;
	score?: number;
	subjects: SubjectView[];
}

export function readReport(data: JsonRecord): ReportView {
	const report = asRecord(field(data, 'report'));
	const subjects: SubjectView[] = [];
	asList(field(report, 'analysis_subjects')).forEach((entry, index) => {
		const raw = asRecord(entry);
		if (!raw) return;
		const overview = field(raw, 'overview');
		const process = field(raw, 'process');
		const id = nonEmptyText(field(overview, 'id')) ?? `#${index + 1}`;
		subjects.push({
			index,
			raw,
			id,
			parentId: nonEmptyText(field(overview, 'parent_id')),
			analysisSubjectId: nonEmptyText(field(process, 'analysis_subject_id')) ?? id,
			pid: nonEmptyText(field(process, 'process_id')),
		});
	});
	const score = asNumber(field(data, 'score'));
	const taskUuid = asText(field(data, 'task_uuid'));
	return {
		data,
		report,
		taskUuid: taskUuid !== undefined && taskUuid.trim() !== '' ? taskUuid.trim() : undefined,
		score: score !== undefined && score >= 0 && score <= 100 ? score : undefined,
		subjects,
	};
}
