/** Objects that later sections link to, filled in as the sections run. */
import type { MispObject } from './model';

export interface LinkTargets {
	subject?: MispObject;
	sandboxReport?: MispObject;
	/** Process object per analysis subject position. */
	processes: Map<number, MispObject>;
	/** Process object per `analysis_subject_id`, for `generated_file` metadata. */
	processesByAnalysisId: Map<string, MispObject>;
}

export function emptyLinkTargets(): LinkTargets {
	return { processes: new Map(), processesByAnalysisId: new Map() };
}
