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

import { analystSession, SESSION_PROPERTY, withSessionCookie } from '../nodes/shared/ata/credentialSession';
import {
	type AnalystCredentialData,
	analystBaseUrl,
	HOSTED_ANALYST_URLS,
	IGNORE_SSL_ISSUES_PROPERTY,
	withAnalystLogin,
} from '../nodes/shared/ata/loginCredentials';

/**
 * NSX ATA Analyst API: license key + API token. The secrets are sent only in the form body of the
 * login request to the configured host (see `withAnalystLogin`); later calls carry the session
 * cookie. The credential holds a session of its own (`preAuthentication`), so an HTTP Request node
 * using it can call any Analyst API endpoint of the configured host.
 */
export class NsxAtaAnalystApi implements ICredentialType {
	name = 'nsxAtaAnalystApi';

	displayName = 'NSX ATA Analyst API';

	icon: Icon = { light: 'file:../icons/nsxAta.svg', dark: 'file:../icons/nsxAta.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-nsx-ata/n8n-nodes-nsx-ata#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Used by every NSX ATA operation, the NSX ATA Trigger, and HTTP Request nodes calling this host\'s Analyst API (Authentication: Predefined Credential Type → NSX ATA Analyst API)',
			name: 'usage',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Hosted (Load Balancer)', value: 'loadBalancer', description: HOSTED_ANALYST_URLS.loadBalancer },
				{ name: 'Hosted US', value: 'us', description: HOSTED_ANALYST_URLS.us },
				{ name: 'Hosted EMEA', value: 'emea', description: HOSTED_ANALYST_URLS.emea },
				{ name: 'On-Premise Appliance', value: 'onPremise', description: 'Your own appliance URL' },
			],
			default: 'loadBalancer',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://ata.example.com',
			description: 'Analyst API base URL of the appliance (HTTPS; plain HTTP only for localhost)',
			displayOptions: { show: { environment: ['onPremise'] } },
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The license key of the account',
		},
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Portal URL',
			name: 'portalUrl',
			type: 'string',
			default: '',
			placeholder: 'https://user.lastline.com',
			description:
				'Portal that analysis links point at. Leave empty to derive it from the environment (the hosted portal, or the appliance itself).',
		},
		IGNORE_SSL_ISSUES_PROPERTY,
		SESSION_PROPERTY,
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await analystSession.call(this, credentials as AnalystCredentialData);
	}

	authenticate: IAuthenticate = async (credentials, requestOptions: IHttpRequestOptions) => {
		const data = credentials as AnalystCredentialData;
		return withSessionCookie(withAnalystLogin(requestOptions, data), analystBaseUrl(data), credentials.session);
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ $credentials.environment === 'onPremise' ? $credentials.baseUrl : ${JSON.stringify(
				HOSTED_ANALYST_URLS,
			)}[$credentials.environment] }}`,
			url: '/authentication/login.json',
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
					message: 'ATA refused the login: check the API key and API token',
				},
			},
		],
	};
}
