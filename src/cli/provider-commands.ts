import { newApplicationSchema } from '../features/provider/provider.schemas';
import { parseInput } from '../http/validate';
import { AppError } from '../infra/errors';
import { UsageError } from './arguments';
import { command, type Command } from './command';
import { OPERATOR_CONTEXT } from '../features/admin/actor-context';

const urls = { type: 'string', multiple: true } as const;

/**
 * The OpenID Provider's operator commands: registering applications (the console's service,
 * so the audit log names the operator) and rotating the signing key.
 */
export const PROVIDER_COMMANDS: Command[] = [
  command({
    name: 'apps:create',
    forms: [
      {
        synopsis: 'apps:create --name N --redirect-uri U [--redirect-uri U2] [--post-logout-redirect-uri U] [--public]',
        summary: ['register an application that signs its users in', 'here (OpenID Connect); prints client_id= and,', 'unless --public, client_secret= (shown once)'],
      },
    ],
    options: { name: { type: 'string' }, 'redirect-uri': urls, 'post-logout-redirect-uri': urls, public: { type: 'boolean', default: false } },
    positionals: 0,
    needsSchema: true,
    input: ({ values }) => ({ name: values.name, redirect_uris: values['redirect-uri'] ?? [], post_logout_redirect_uris: values['post-logout-redirect-uri'] ?? [], public: values.public }),
    async run(fields, { config, services, out }) {
      const input = parseInput(newApplicationSchema, fields);
      const { client, clientSecret } = await services().adminApplications.register(input, OPERATOR_CONTEXT);
      out(`Registered ${client.name} (${client.public ? 'public: PKCE without a secret' : 'confidential: client_secret_basic and PKCE'}).`);
      // Scripts read these two lines: each on its own, exactly `name=value`.
      out(`client_id=${client.clientId}`);
      if (clientSecret) out(`client_secret=${clientSecret}`);
      out(`Issuer: ${config.baseUrl.href.replace(/\/$/, '')} (discovery at /.well-known/openid-configuration).`);
      if (clientSecret) out('Keep the secret now: it is stored encrypted and never shown again.');
    },
  }),
  command({
    name: 'apps:list',
    forms: [{ synopsis: 'apps:list', summary: ['list the registered applications'] }],
    options: {},
    positionals: 0,
    needsSchema: true,
    input: () => undefined,
    async run(_, { services, out }) {
      const apps = await services().applications.list();
      if (apps.length === 0) out('No applications are registered.');
      for (const app of apps) out(`${app.clientId}  ${app.name}  ${app.public ? 'public' : 'confidential'}  ${app.redirectUris.join(' ')}`);
    },
  }),
  command({
    name: 'apps:remove',
    forms: [{ synopsis: 'apps:remove <client_id>', summary: ['remove an application with every grant and', 'token it holds: its users are signed out of it'] }],
    options: {},
    positionals: 1,
    needsSchema: true,
    input({ positionals }) {
      const clientId = positionals[0];
      if (!clientId) throw new UsageError('give the client_id');
      return clientId;
    },
    async run(clientId, { services, out }) {
      const { applications, adminApplications } = services();
      if (!(await applications.list()).some((app) => app.clientId === clientId)) throw new AppError(404, 'not_found', 'provider.apps.errors.noSuchClient', { clientId });
      await adminApplications.remove(clientId, OPERATOR_CONTEXT);
      out(`Removed ${clientId} and everything issued to it.`);
    },
  }),
  command({
    name: 'keys:rotate',
    forms: [{ synopsis: 'keys:rotate', summary: ['make a new signing key for ID tokens; the old', 'one stays published until its tokens expire'] }],
    options: {},
    positionals: 0,
    needsSchema: true,
    input: () => undefined,
    async run(_, { services, out }) {
      const { kid, activatesAt, retired } = await services().signingKeys.rotate();
      out(`New signing key ${kid}: published now, signs from ${activatesAt.toISOString()} (every process has loaded it by then).`);
      if (retired === 1) out('The key before it retires then and stays published until the ID tokens it signed have expired.');
      if (retired > 1) out(`The ${retired} keys before it retire then and stay published until the ID tokens they signed have expired.`);
    },
  }),
];
