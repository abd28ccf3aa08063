/** The analysed subject: a `file` object (whatever identity it has) or a `url` object. */
import { asRecord, field, nonEmptyText, preview } from './input';
import type { ConversionContext } from './model';
import type { ReportView } from './report';
import type { LinkTargets } from './state';
import { safeUrl } from './urls';

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
		const safe = safeUrl(url);
		if ('problem' in safe) {
			ctx.warnings.add(`analysis_subject: the URL ${preview(url)} ${safe.problem}; no url object.`);
			return;
		}
		if (safe.badHost) ctx.warnings.add(`analysis_subject: the host of ${preview(url)} is not a valid host name.`);
		links.subject = ctx.object('url', ['subject'], undefined, (draft) => {
			draft.add('url', safe.url);
			draft.add('host', safe.host);
			draft.comment = 'Analysed URL';
		});
		return;
	}
	links.subject = ctx.object('file', ['subject'], undefined, (draft) => {
		for (const [source, relation] of FILE_FIELDS) draft.add(relation, field(subject, source));
		draft.comment = 'Analysed file';
	});
}
