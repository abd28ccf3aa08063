/** Turns any failure of an item into the n8n error users see: message, what to do, item index. */
import {
	type INode,
	type JsonObject,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { AtaError } from '../ata/errors';

export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	if (error instanceof AtaError) {
		if (error.kind === 'config' || error.kind === 'cancelled') {
			return new NodeOperationError(node, error.message, { itemIndex, description: error.hint });
		}
		const details: JsonObject = { message: error.message, kind: error.kind };
		if (error.code !== undefined) details.ataErrorCode = error.code;
		if (error.httpStatus !== undefined) details.httpStatus = error.httpStatus;
		if (error.endpoint !== undefined) details.endpoint = error.endpoint;
		return new NodeApiError(node, details, {
			itemIndex,
			message: error.message,
			description: error.hint,
			// ATA reports most errors inside HTTP 200 answers; only a real HTTP failure gets a code.
			httpCode: error.httpStatus !== undefined && error.httpStatus >= 400 ? String(error.httpStatus) : undefined,
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, message, { itemIndex });
}

/** The JSON of an error item (Continue On Fail): the message plus what to do and the ATA code. */
export function errorJson(error: NodeApiError | NodeOperationError): JsonObject {
	const details: JsonObject = { message: error.message };
	if (error.description) details.description = error.description;
	if (error instanceof NodeApiError && error.httpCode) details.httpCode = error.httpCode;
	const cause = error.errorResponse as JsonObject | undefined;
	if (cause?.ataErrorCode !== undefined) details.ataErrorCode = cause.ataErrorCode;
	return details;
}
