/** Shapes of the ATA answers the nodes rely on (ata-api.md §7, §8.5, §15), parsed leniently. */
import { z } from 'zod';

const score = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)]).nullish();
const flag = z.union([z.number(), z.string(), z.boolean()]).transform((v) => v === 1 || v === '1' || v === true);

export const submissionSchema = z
	.object({
		task_uuid: z.string().regex(/^[0-9a-fA-F]{32}$/),
		score,
		submission_timestamp: z.string().optional(),
		expires: z.string().optional(),
	})
	.passthrough();

export const progressSchema = z.object({
	completed: flag,
	progress: z.union([z.number(), z.string().transform(Number)]).optional(),
});

export const hashLookupSchema = z.object({
	files_found: z.union([z.number(), z.string().transform(Number)]).optional(),
	tasks: z
		.array(
			z
				.object({
					task_uuid: z.string().regex(/^[0-9a-fA-F]{32}$/),
					score,
					expires: z.string().optional(),
					file_md5: z.string().optional(),
					file_sha1: z.string().optional(),
					file_sha256: z.string().optional(),
				})
				.passthrough(),
		)
		.default([]),
});

export const completedSchema = z.object({
	tasks: z.union([z.array(z.string()), z.record(z.string(), score)]),
	after: z.string().nullish(),
	before: z.string().nullish(),
	resume: z.string().nullish(),
	more_results_available: z.union([z.number(), z.boolean(), z.string()]).nullish(),
});

export const resultSchema = z
	.object({ task_uuid: z.string().optional(), score })
	.passthrough();

export const analysisTagsSchema = z
	.object({ task_uuid: z.string().optional(), analysis_tags: z.array(z.unknown()).default([]) })
	.passthrough();
