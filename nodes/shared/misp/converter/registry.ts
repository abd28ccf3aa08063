/**
 * Registry writes and deletions (and, when asked, reads) as `registry-key` objects linked to
 * the process. Writes and deletions go first so that noisy reads never crowd them out of the cap.
 */
import { asList, field, preview, verbatimText } from './input';
import type { ConversionContext } from './model';
import type { ReportView } from './report';
import type { LinkTargets } from './state';

const OPERATIONS = [
	{ source: 'registry_writes', kind: 'write', relationship: 'writes', comment: undefined },
	{
		source: 'registry_deletions',
		kind: 'delete',
		relationship: 'deletes',
		comment: 'Deleted during analysis',
	},
	{
		source: 'registry_reads',
		kind: 'read',
		relationship: 'reads',
		comment: 'Read during analysis',
	},
] as const;

/** Registry text as it is; a number or object there is not text and is left out with a warning. */
function textOrWarn(ctx: ConversionContext, source: string, name: string, raw: unknown) {
	if (raw !== undefined && raw !== null && typeof raw !== 'string')
		ctx.warnings.add(`${source}: left out ${name} ${preview(raw)}: not text.`);
	return verbatimText(raw);
}

export function convertRegistry(
	ctx: ConversionContext,
	view: ReportView,
	links: LinkTargets,
	includeReads: boolean,
): void {
	for (const operation of OPERATIONS) {
		if (operation.kind === 'read' && !includeReads) continue;
		for (const subject of view.subjects) {
			const process = links.processes.get(subject.index);
			for (const entry of asList(field(subject.raw, operation.source))) {
				const key = verbatimText(field(entry, 'key'));
				if (key === undefined) continue;
				const name = textOrWarn(ctx, operation.source, 'value', field(entry, 'value'));
				const data =
					operation.kind === 'write'
						? textOrWarn(ctx, operation.source, 'data', field(entry, 'data'))
						: undefined;
				const identity = [operation.kind, key, name ?? '', data ?? ''];
				const object = ctx.object('registry-key', identity, 'registryKeys', (draft) => {
					draft.add('key', key);
					draft.add('name', name);
					draft.add('data', data);
					if (operation.comment !== undefined) draft.comment = operation.comment;
				});
				ctx.reference(process, object, operation.relationship);
			}
		}
	}
}
