/** The analysed subject: a `file` object (whatever identity it has) or a `url` object. */
import { asRecord, field, nonEmptyText } from './input';
import type { ConversionContext } from './model';
import type { ReportView } from './report';
import type { LinkTargets } from './state';
import { hostOfUrl } from './urls';

const FILE_FIELDS: ReadonlyArray<[string, string]> = [
	['md5', 'md5'],
	['sha1', 'sha1'],
	['sha256', 'sha256'],
	['sha512', 'sha512'],
	['ssdeep', 'ssdeep'],
	['mime_type', 'mimetype'],
	['size', 'size-in-bytes'],
	['file_size', 'size-in-bytes'],
	['filename', 'filename'],
	['file_name', 'filename'],
];

export function convertSubject(ctx: ConversionContext, view: ReportView, links: LinkTargets): void {
	const subject = asRecord(field(view.data, 'analysis_subject'));
	if (!subject) {
		ctx.warnings.add('The report has no analysis_subject; no subject object was created.');
		return;
	}
	const url = nonEmptyText(field(subject, 'url'));
	if (url !== undefined) {
		links.subject = ctx.object('url', ['subject'], undefined, (draft) => {
			draft.add('url', url);
			draft.add('host', hostOfUrl(url));
			draft.comment = 'Analysed URL';
		});
		return;
	}
	links.subject = ctx.object('file', ['subject'], undefined, (draft) => {
		for (const [source, relation] of FILE_FIELDS) draft.add(relation, field(subject, source));
		draft.comment = 'Analysed file';
	});
}
