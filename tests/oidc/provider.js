// A real OpenID provider for the console's sign-in tests (tests/console/oidc.py starts it):
// panva's oidc-provider, certified by the OpenID Foundation. Authorization code flow with PKCE,
// discovery, JWKS, refresh tokens and RP-initiated logout, as Keycloak offers them.
//
// Settings from the environment:
//   PORT           where to listen (the issuer is http://127.0.0.1:PORT)
//   CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS (comma-separated), POST_LOGOUT_REDIRECT_URIS
//   ACCOUNTS       JSON {login: {"email": ..., "name": ...}}; any other login signs in too, as
//                  <login>@tdkt.test
//   ID_TOKEN_TTL   seconds (default 300)
// The interactions are the library's development pages: a login form that takes any login
// (field "login") and no consent page (the console is a first-party client).
import * as crypto from 'node:crypto';

import Provider from 'oidc-provider';

const port = Number(process.env.PORT || 0);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.ACCOUNTS || '{}');
const list = (value) => (value || '').split(',').filter(Boolean);

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signing = { ...privateKey.export({ format: 'jwk' }), kid: `test-${port}`, use: 'sig', alg: 'RS256' };

const configuration = {
  clients: [
    {
      client_id: process.env.CLIENT_ID || 'tdkt-console',
      client_secret: process.env.CLIENT_SECRET || 'console-secret',
      redirect_uris: list(process.env.REDIRECT_URIS),
      post_logout_redirect_uris: list(process.env.POST_LOGOUT_REDIRECT_URIS),
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [signing] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  scopes: ['openid', 'email', 'profile', 'offline_access'],
  // The e-mail (and name) in the ID token itself, as Keycloak sends them: registration links an
  // invitation by the e-mail the provider verified.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  ttl: { IdToken: Number(process.env.ID_TOKEN_TTL || 300), AccessToken: 300, Session: 3600 },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  // The console refreshes its ID token with the refresh token while the person's session lives.
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  // A first-party client: the sign-in grants what it asks, with no consent page.
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile offline_access');
    grant.addOIDCClaims(['email', 'email_verified', 'name']);
    await grant.save();
    return grant;
  },
  findAccount: async (ctx, id) => {
    const known = accounts[id] || {};
    return {
      accountId: id,
      claims: async () => ({
        sub: id,
        email: known.email || `${id}@tdkt.test`,
        email_verified: known.email_verified !== false,
        name: known.name || id,
      }),
    };
  },
};

const provider = new Provider(issuer, configuration);
provider.on('server_error', (ctx, error) => console.error('server_error', error));
const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
