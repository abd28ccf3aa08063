/**
 * Caps that keep the output bounded for huge or hostile reports: per object type, per
 * `multiple` relation of one object, and for all attributes of one analysis.
 */

export interface Limits {
	processes: number;
	files: number;
	domains: number;
	httpRequests: number;
	connections: number;
	webRequests: number;
	registryKeys: number;
	mutexes: number;
	signatures: number;
	attackTags: number;
	childTasks: number;
	extractedFiles: number;
	avTags: number;
	/** Values of one `multiple` relation in one object (DNS answers, child pids, file names). */
	valuesPerRelation: number;
	/** Attributes of all objects of one analysis together. */
	attributes: number;
	/** Warnings beyond this number are summarised in one final warning. */
	warnings: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
	processes: 500,
	files: 1000,
	domains: 1000,
	httpRequests: 1000,
	connections: 2000,
	webRequests: 1000,
	registryKeys: 2000,
	mutexes: 500,
	signatures: 500,
	attackTags: 500,
	childTasks: 500,
	extractedFiles: 1000,
	avTags: 100,
	valuesPerRelation: 1000,
	attributes: 100_000,
	warnings: 200,
});

export type LimitName = keyof Limits;

/** The caps that count objects or tags of one type (what "Max Objects per Type" sets). */
export const PER_TYPE_LIMITS: readonly LimitName[] = Object.freeze(
	(Object.keys(DEFAULT_LIMITS) as LimitName[]).filter(
		(name) => name !== 'valuesPerRelation' && name !== 'attributes' && name !== 'warnings',
	),
);

/** Defaults overridden by any valid (non-negative integer) value the caller gives. */
export function resolveLimits(overrides: unknown): Limits {
	const limits: Limits = { ...DEFAULT_LIMITS };
	if (typeof overrides !== 'object' || overrides === null) return limits;
	for (const name of Object.keys(DEFAULT_LIMITS) as LimitName[]) {
		const value = Object.prototype.hasOwnProperty.call(overrides, name)
			? (overrides as Record<string, unknown>)[name]
			: undefined;
		if (typeof value === 'number' && Number.isInteger(value) && value >= 0) limits[name] = value;
	}
	return limits;
}
