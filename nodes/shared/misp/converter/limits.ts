/** Per-type caps that keep the output bounded for huge or hostile reports. */

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
	warnings: 200,
});

export type LimitName = keyof Limits;

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
