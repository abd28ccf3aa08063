/** Mutexes created or opened, one `mutex` object per name, linked to each process that used it. */
import { asList, field, nonEmptyText } from './input';
import type { ConversionContext } from './model';
import type { ReportView } from './report';
import type { LinkTargets } from './state';

const SOURCES = [
	{ source: 'mutex_creates', relationship: 'creates' },
	{ source: 'mutex_opens', relationship: 'opens' },
] as const;

export function convertMutexes(ctx: ConversionContext, view: ReportView, links: LinkTargets): void {
	for (const subject of view.subjects) {
		const process = links.processes.get(subject.index);
		for (const { source, relationship } of SOURCES) {
			for (const entry of asList(field(subject.raw, source))) {
				const name = nonEmptyText(field(entry, 'mutex_name'));
				if (name === undefined) continue;
				const object = ctx.object('mutex', [name], 'mutexes', (draft) => {
					draft.add('name', name);
				});
				ctx.reference(process, object, relationship);
			}
		}
	}
}
