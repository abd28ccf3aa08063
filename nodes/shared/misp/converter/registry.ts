/**
 * Registry writes and deletions (and, when asked, reads) as `registry-key` objects linked to
 * the process. Writes and deletions go first so that noisy reads never crowd them out of the cap.
 */
import { asList, field, nonEmptyText } from './input';
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
				const key = nonEmptyText(field(entry, 'key'));
				if (key === undefined) continue;
				const name = nonEmptyText(field(entry, 'value'));
				const data = operation.kind === 'write' ? nonEmptyText(field(entry, 'data')) : undefined;
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
