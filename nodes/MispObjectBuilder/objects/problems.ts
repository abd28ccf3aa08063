/**
 * Why an object is not acceptable: each problem names the relation (when there is one) and the
 * rule it breaks, so users see exactly which field to fix.
 */

export type ObjectRule =
	| 'unknown template'
	| 'template identity'
	| 'unknown relation'
	| 'type mismatch'
	| 'value format'
	| 'required'
	| 'required one of'
	| 'multiple'
	| 'category not allowed'
	| 'to_ids'
	| 'distribution'
	| 'uuid'
	| 'reference'
	| 'seen'
	| 'no attributes'
	| 'shape';

export interface ObjectProblem {
	rule: ObjectRule;
	relation?: string;
	message: string;
}

export function problem(rule: ObjectRule, message: string, relation?: string): ObjectProblem {
	return relation === undefined ? { rule, message } : { rule, relation, message };
}

/** One line per problem: `relation "md5" (value format): Checksum has …`. */
export function describeProblem(entry: ObjectProblem): string {
	const where = entry.relation === undefined ? '' : `relation "${entry.relation}" `;
	return `${where}(${entry.rule}): ${entry.message}`;
}

/** A summary message naming the first problem, and a description listing them all. */
export function problemReport(
	subject: string,
	problems: readonly ObjectProblem[],
): { message: string; description: string } {
	const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
	return {
		message: `${subject} is invalid: ${describeProblem(problems[0])}${more}`,
		description: problems.map(describeProblem).join('\n'),
	};
}
