/* eslint-disable @n8n/community-nodes/credential-test-required, @n8n/community-nodes/icon-validation, @n8n/community-nodes/cred-class-field-icon-missing -- test-only fixture type, never published */
import { createHmac } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/** Function-form `authenticate`, plus a hidden property whose default is an expression over $self. */
export class SignedApi implements ICredentialType {
	name = 'signedApi';

	displayName = 'Signed API (engine fixture)';

	properties: INodeProperties[] = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{ displayName: 'Key ID', name: 'keyId', type: 'string', default: '' },
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'API Root',
			name: 'apiRoot',
			type: 'hidden',
			default: '={{$self["baseUrl"].replace(/\\/$/, "")}}/v1',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const signature = createHmac('sha256', credentials.secret as string)
			.update(`${requestOptions.method ?? 'GET'} ${requestOptions.url}`)
			.digest('hex');
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, 'X-Signature': signature },
			qs: { ...requestOptions.qs, keyId: credentials.keyId },
		};
	}
}
