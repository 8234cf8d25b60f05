// A real OpenID provider on loopback for the single sign-on tests and for trying SSO locally
// (`make oidc-dev`): panva's certified oidc-provider, in memory, with throwaway keys.
//
//   node tests/oidc/provider.mjs --port 7410 --redirect-uri http://127.0.0.1:5000/auth/sso/callback
//
// It prints one line of JSON ({"issuer": …}) once it listens. The sign-in page lists the test
// people; pick one (no password). Consent is given automatically: Flipside is first-party here.
//
// Besides the honest client `flipside`, clients whose name says how they misbehave get an ID
// token that a relying party must refuse: signed with a key the provider does not publish, for
// another audience, already expired, with another nonce, from another issuer, or missing. Everything
// else about them (discovery, PKCE, the code, the token endpoint) is the real thing.
import http from 'node:http';
import { parseArgs } from 'node:util';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '7410' },
    host: { type: 'string', default: '127.0.0.1' },
    'redirect-uri': { type: 'string', multiple: true, default: [] },
  },
});

const issuer = `http://${args.host}:${args.port}`;
const redirectUris = args['redirect-uri'].length
  ? args['redirect-uri']
  : ['http://127.0.0.1:5000/auth/sso/callback'];

// The people who can sign in here. `email_verified` is what Flipside trusts an address by.
const PEOPLE = {
  ada: { email: 'ada@contoso.example', email_verified: true, name: 'Ada Okafor' },
  leo: { email: 'leo@flipside.example', email_verified: true, name: 'Leo Martins' },
  uma: { email: 'uma@contoso.example', email_verified: false, name: 'Uma Unverified' },
  nico: { email: 'nico@contoso.example', name: 'Nico (no email_verified claim)' },
};

const KID = 'flipside-test-key';
async function signingKey() {
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  return { privateKey, jwk: { ...(await jose.exportJWK(privateKey)), kid: KID, use: 'sig', alg: 'RS256' } };
}
const own = await signingKey();
const foreign = await signingKey(); // same kid, other key: a signature nobody can check

// How each misbehaving client's ID token is changed, then signed again.
const now = () => Math.floor(Date.now() / 1000);
const TAMPER = {
  'flipside-bad-signature': { key: foreign.privateKey, claims: (c) => c },
  'flipside-wrong-audience': { claims: (c) => ({ ...c, aud: 'some-other-app' }) },
  'flipside-expired': { claims: (c) => ({ ...c, iat: now() - 7200, exp: now() - 3600 }) },
  'flipside-wrong-nonce': { claims: (c) => ({ ...c, nonce: 'not-the-one-you-sent' }) },
  'flipside-wrong-issuer': { claims: (c) => ({ ...c, iss: 'https://idp.attacker.example' }) },
  'flipside-no-id-token': { drop: true }, // an OAuth answer without the OpenID part
};

const clients = ['flipside', ...Object.keys(TAMPER)].map((clientId) => ({
  client_id: clientId,
  client_secret: `${clientId}-secret`,
  redirect_uris: redirectUris,
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
}));

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [own.jwk] },
  cookies: { keys: ['flipside-test-provider-only'] },
  pkce: { methods: ['S256'], required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    if (!PEOPLE[sub]) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...PEOPLE[sub] }) };
  },
  // First-party: the scopes asked for are granted without a consent screen.
  async loadExistingGrant(ctx) {
    const { client, session } = ctx.oidc;
    const grantId = session.grantIdFor(client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    session.grantIdFor(client.clientId, grant.jti);
    return grant;
  },
});

provider.use(async (ctx, next) => {
  await next();
  const tamper = ctx.path === '/token' && ctx.status === 200 && TAMPER[ctx.oidc?.client?.clientId];
  if (tamper?.drop) {
    const { id_token: _dropped, ...rest } = ctx.body;
    ctx.body = rest;
  } else if (tamper && ctx.body?.id_token) {
    const claims = tamper.claims(jose.decodeJwt(ctx.body.id_token));
    ctx.body = {
      ...ctx.body,
      id_token: await new jose.SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: KID })
        .sign(tamper.key || own.privateKey),
    };
  }
});

const escape = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function signInPage(uid, clientId) {
  const buttons = Object.entries(PEOPLE)
    .map(([id, p]) => `<li><button name="account" value="${id}">${escape(p.name)} &lt;${escape(p.email)}&gt;${
      p.email_verified ? '' : ' (email not verified)'}</button></li>`)
    .join('\n');
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Test provider: sign in</title>
<main><h1>Test identity provider</h1><p>${escape(clientId)} asks who you are. Pick a test person:</p>
<form method="post" action="/interaction/${escape(uid)}/login"><ul>${buttons}</ul></form></main></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

async function interaction(req, res) {
  const [, , uid, action] = req.url.split('?')[0].split('/');
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    if (req.method === 'GET' && !action) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(signInPage(uid, details.params.client_id));
      return;
    }
    if (req.method === 'POST' && action === 'login') {
      const { account } = await readForm(req);
      if (!PEOPLE[account]) throw new Error('unknown test person');
      await provider.interactionFinished(req, res, { login: { accountId: account } });
      return;
    }
    res.writeHead(404).end('not found');
  } catch (error) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end(String(error.message || error));
  }
}

const handle = provider.callback();
const server = http.createServer((req, res) =>
  req.url.startsWith('/interaction/') ? interaction(req, res) : handle(req, res));
server.listen(Number(args.port), args.host, () => {
  console.log(JSON.stringify({ issuer, clients: clients.map((c) => c.client_id), redirectUris }));
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
