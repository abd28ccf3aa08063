/* eslint-disable @n8n/community-nodes/icon-validation, @n8n/community-nodes/cred-class-field-icon-missing -- test-only fixture type, never published */
import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

/** Username/password login that yields an expirable session token (like n8n's MetabaseApi). */
export class SessionLoginApi implements ICredentialType {
	name = 'sessionLoginApi';

	displayName = 'Session Login API (engine fixture)';

	properties: INodeProperties[] = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{ displayName: 'Username', name: 'username', type: 'string', default: '' },
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${credentials.baseUrl as string}/login`,
			body: { username: credentials.username, password: credentials.password },
			json: true,
		})) as { token: string };
		return { sessionToken: response.token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'X-Session': '={{$credentials.sessionToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/me' },
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'status.success', value: 0, message: 'The session was rejected' },
			},
		],
	};
}
