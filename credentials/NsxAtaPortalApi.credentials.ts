import type {
	IAuthenticate,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { DEFAULT_PORTAL_URL } from '../nodes/shared/ata/baseUrls';
import {
	IGNORE_SSL_ISSUES_PROPERTY,
	type PortalCredentialData,
	withPortalLogin,
} from '../nodes/shared/ata/loginCredentials';

/**
 * NSX ATA Portal: username + password, as the original query and import modules used. The secrets
 * are sent only in the form body of the login request to the configured portal.
 */
export class NsxAtaPortalApi implements ICredentialType {
	name = 'nsxAtaPortalApi';

	displayName = 'NSX ATA Portal API';

	icon: Icon = { light: 'file:../icons/nsxAta.svg', dark: 'file:../icons/nsxAta.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-nsx-ata/n8n-nodes-nsx-ata#credentials';

	properties: INodeProperties[] = [
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
	];

	authenticate: IAuthenticate = async (credentials, requestOptions: IHttpRequestOptions) =>
		withPortalLogin(requestOptions, credentials as PortalCredentialData);

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
