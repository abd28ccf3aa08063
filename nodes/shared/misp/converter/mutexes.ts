/**
 * Mutexes created or opened, one `mutex` object per name (verbatim), linked to each process that
 * used it.
 */
import { asList, field, preview, verbatimText } from './input';
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
				const raw = field(entry, 'mutex_name');
				const name = verbatimText(raw);
				if (name === undefined) {
					if (raw !== undefined && typeof raw !== 'string')
						ctx.warnings.add(`${source}: skipped mutex name ${preview(raw)}: not text.`);
					continue;
				}
				const object = ctx.object('mutex', [name], 'mutexes', (draft) => {
					draft.add('name', name);
				});
				ctx.reference(process, object, relationship);
			}
		}
	}
}
