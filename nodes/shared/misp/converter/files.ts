/**
 * Files with hashes: written files (`file_writes` with `ext_info`), dropped files
 * (`generated_file` metadata) and files extracted from archives, de-duplicated by hash and
 * linked to the process that wrote them or the archive they came from.
 */
import { checkValue } from '../values';
import {
	asList,
	asRecord,
	baseName,
	field,
	isBrokenPath,
	nonEmptyText,
	preview,
	type JsonRecord,
} from './input';
import type { ConversionContext, MispObject } from './model';
import type { ReportView } from './report';
import type { LinkTargets } from './state';

interface FileFacts {
	path?: string;
	name?: string;
	md5?: unknown;
	sha1?: unknown;
	sha256?: unknown;
	size?: unknown;
	mime?: unknown;
	comment?: string;
}

/** The strongest valid hash, normalised: what identifies a file across the report. */
function fileIdentity(facts: FileFacts): string[] | undefined {
	for (const type of ['sha256', 'sha1', 'md5'] as const) {
		const raw = nonEmptyText(facts[type]);
		if (raw === undefined) continue;
		const check = checkValue(type, raw);
		if (check.ok) return [type, check.value];
	}
	return undefined;
}

function fileObject(ctx: ConversionContext, facts: FileFacts, limit: 'files' | 'extractedFiles') {
	const identity = fileIdentity(facts);
	if (!identity) return undefined;
	let name = facts.name ?? (facts.path !== undefined ? baseName(facts.path) : undefined);
	let path = facts.path;
	if (isBrokenPath(name) || isBrokenPath(path)) {
		// Not a Windows path: leave out name and path, keep the file (its hashes).
		ctx.warnings.add(
			`file ${identity[1]}: left out the name and path ${preview(path ?? name)}: a line break or NUL is not part of a Windows path.`,
		);
		name = path = undefined;
	}
	const object = ctx.object(
		'file',
		identity,
		limit,
		(draft) => {
			draft.add('filename', name);
			draft.add('fullpath', path);
			draft.add('md5', facts.md5);
			draft.add('sha1', facts.sha1);
			draft.add('sha256', facts.sha256);
			draft.add('size-in-bytes', facts.size);
			draft.add('mimetype', facts.mime);
			if (facts.comment !== undefined) draft.comment = facts.comment;
		},
		true,
	);
	if (object) {
		// The same content under another name or path is one file with several names.
		ctx.extend(object, 'filename', name);
		ctx.extend(object, 'fullpath', path);
	}
	return object;
}

function factsFromEntry(entry: unknown): FileFacts | undefined {
	const ext = asRecord(field(entry, 'ext_info'));
	if (!ext) return undefined;
	const path = nonEmptyText(field(entry, 'abs_path')) ?? nonEmptyText(field(entry, 'filename'));
	return {
		path,
		md5: field(ext, 'md5'),
		sha1: field(ext, 'sha1'),
		sha256: field(ext, 'sha256'),
		size: field(ext, 'size'),
		mime: field(ext, 'mime'),
	};
}

export function convertFiles(ctx: ConversionContext, view: ReportView, links: LinkTargets): void {
	for (const subject of view.subjects) {
		const process = links.processes.get(subject.index);
		for (const entry of asList(field(subject.raw, 'file_writes'))) {
			const facts = factsFromEntry(entry);
			if (facts) ctx.reference(process, fileObject(ctx, facts, 'files'), 'writes');
		}
	}
	for (const meta of asList(field(view.report, 'analysis_metadata'))) {
		if (field(meta, 'metadata_type') !== 'generated_file') continue;
		const facts = factsFromEntry(field(meta, 'file'));
		if (!facts) continue;
		const owner = nonEmptyText(field(meta, 'analysis_subject_id'));
		const process = owner !== undefined ? links.processesByAnalysisId.get(owner) : undefined;
		ctx.reference(process ?? links.subject, fileObject(ctx, facts, 'files'), 'drops');
	}
	convertExtractedFiles(ctx, view.report, links.subject);
}

function convertExtractedFiles(
	ctx: ConversionContext,
	report: JsonRecord | undefined,
	archive: MispObject | undefined,
): void {
	for (const entry of asList(field(report, 'extracted_files'))) {
		const task = nonEmptyText(field(entry, 'task_uuid'));
		const score = nonEmptyText(field(entry, 'task_score'));
		const facts: FileFacts = {
			name: nonEmptyText(field(entry, 'file_name')),
			md5: field(entry, 'md5'),
			sha1: field(entry, 'sha1'),
			sha256: field(entry, 'sha256'),
			mime: field(entry, 'mime_type'),
			comment:
				task !== undefined
					? `Extracted from the archive; ATA task ${task}${score !== undefined ? `, score ${score}` : ''}`
					: 'Extracted from the archive',
		};
		const object = fileObject(ctx, facts, 'extractedFiles');
		if (!object) {
			ctx.warnings.add('extracted_files: entry without a valid hash skipped.');
			continue;
		}
		ctx.reference(object, archive, 'extracted-from');
	}
}
