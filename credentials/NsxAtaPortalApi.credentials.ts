import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { DEFAULT_PORTAL_URL } from '../nodes/shared/ata/baseUrls';
import { portalSession, SESSION_PROPERTY, withSessionCookie } from '../nodes/shared/ata/credentialSession';
import {
	IGNORE_SSL_ISSUES_PROPERTY,
	type PortalCredentialData,
	portalBaseUrl,
	withPortalLogin,
} from '../nodes/shared/ata/loginCredentials';

/**
 * NSX ATA Portal: username + password, as the original query and import modules used. The secrets
 * are sent only in the form body of the login request to the configured portal. Like the Analyst
 * credential it holds a session of its own, so an HTTP Request node can call any Portal API
 * (`/papi/...`) endpoint with it.
 */
export class NsxAtaPortalApi implements ICredentialType {
	name = 'nsxAtaPortalApi';

	displayName = 'NSX ATA Portal API';

	icon: Icon = { light: 'file:../icons/nsxAta.svg', dark: 'file:../icons/nsxAta.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-nsx-ata/n8n-nodes-nsx-ata#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Used by Query, Import and Get Status of the NSX ATA node (Authentication: Portal), and HTTP Request nodes calling this portal\'s /papi endpoints (Predefined Credential Type → NSX ATA Portal API)',
			name: 'usage',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Portal URL',
			name: 'portalUrl',
			type: 'string',
			default: DEFAULT_PORTAL_URL,
			description: 'The portal; its API lives under /papi (HTTPS; plain HTTP only for localhost)',
			required: true,
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		IGNORE_SSL_ISSUES_PROPERTY,
		SESSION_PROPERTY,
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await portalSession.call(this, credentials as PortalCredentialData);
	}

	authenticate: IAuthenticate = async (credentials, requestOptions: IHttpRequestOptions) => {
		const data = credentials as PortalCredentialData;
		return withSessionCookie(withPortalLogin(requestOptions, data), portalBaseUrl(data), credentials.session);
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.portalUrl }}',
			url: '/papi/login.json',
			method: 'POST',
			skipSslCertificateValidation: '={{ $credentials.ignoreSslIssues }}',
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'success',
					value: 0,
					message: 'ATA refused the login: check the username and password',
				},
			},
		],
	};
}
