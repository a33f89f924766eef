// A real OpenID Connect provider for the accounts tests, started by the `oidc_provider` fixture
// in ../conftest.py. Everything comes from the environment so that the fixture owns the values
// the tests compare against: PORT, ISSUER, CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS (comma
// separated) and ACCOUNTS (JSON: login name -> claims).
//
// Besides the provider itself there are two routes for the tests:
//   POST /__test__/tamper {"mode": M}  alters the id_token of the following token responses
//   GET  /__test__/health              200 once the provider answers
//
// stdout carries exactly one line, `ready`, which the fixture waits for; everything the
// provider prints (its console.info notices go to stdout) is sent to stderr instead.

import { randomBytes } from 'node:crypto';

import Provider from 'oidc-provider';
import {
  SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK,
} from 'jose';

console.info = console.error;
console.log = console.error;

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} must be set`);
    process.exit(2);
  }
  return value;
}

const PORT = Number(required('PORT'));
const ISSUER = required('ISSUER');
const CLIENT_ID = required('CLIENT_ID');
const CLIENT_SECRET = required('CLIENT_SECRET');
const REDIRECT_URIS = required('REDIRECT_URIS').split(',').map((uri) => uri.trim()).filter(Boolean);
const ACCOUNTS = JSON.parse(required('ACCOUNTS'));

// The ID token's `sub` is the account id, so accounts are found by it as well as by login name.
const bySub = new Map();
for (const [login, claims] of Object.entries(ACCOUNTS)) {
  claims.sub ??= login;
  bySub.set(claims.sub, claims);
}

const ALG = 'RS256';
const KID = `test-${randomBytes(6).toString('hex')}`;
const { privateKey } = await generateKeyPair(ALG, { extractable: true });
const signingJwk = { ...(await exportJWK(privateKey)), kid: KID, alg: ALG, use: 'sig' };
// The same key object oidc-provider signs with, so that a re-signed token verifies like a real one.
const signingKey = await importJWK(signingJwk, ALG);

const ID_TOKEN_TTL = 600;

const configuration = {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: REDIRECT_URIS,
    response_types: ['code'],
    grant_types: ['authorization_code'],
    // oidc-provider accepts client_secret_post too for a client registered with either method.
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
  jwks: { keys: [signingJwk] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  scopes: ['openid', 'profile', 'email'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name', 'name'],
  },
  // Put the scope claims into the ID token itself: the app reads the email from it.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
  },
  interactions: {
    url: (ctx, interaction) => `/interaction/${interaction.uid}`,
  },
  ttl: {
    AccessToken: 600,
    AuthorizationCode: 60,
    IdToken: ID_TOKEN_TTL,
    Interaction: 600,
    Session: 600,
    Grant: 600,
  },
  async findAccount(ctx, sub) {
    const claims = bySub.get(sub);
    if (!claims) return undefined;
    return { accountId: sub, claims: async () => ({ ...claims }) };
  },
  async renderError(ctx, out, error) {
    ctx.type = 'html';
    ctx.body = `<!doctype html><title>oidc error</title><pre>${escapeHtml(JSON.stringify(out))}</pre>`;
    console.error('oidc-provider error', error);
  },
};

const provider = new Provider(ISSUER, configuration);
provider.proxy = false;

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginForm(uid, { error = '' } = {}) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head>
<body>
<h1>Sign in</h1>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>Login <input name="login" autocomplete="username" autofocus></label>
<button type="submit">Sign in</button>
</form>
</body></html>`;
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

// --- the tests' control of the token responses ---

const MODES = new Set(['none', 'wrong_audience', 'expired', 'bad_signature', 'wrong_issuer', 'replay']);
let mode = 'none';
let lastGenuineIdToken;

async function resign(idToken, alter, key) {
  const header = decodeProtectedHeader(idToken);
  const payload = alter(decodeJwt(idToken));
  return new SignJWT(payload).setProtectedHeader(header).sign(key);
}

async function tamperedIdToken(idToken) {
  const now = Math.floor(Date.now() / 1000);
  switch (mode) {
    case 'wrong_audience':
      return resign(idToken, (p) => ({ ...p, aud: 'someone-else' }), signingKey);
    case 'expired':
      return resign(idToken, (p) => ({ ...p, iat: now - 600 - ID_TOKEN_TTL, exp: now - 600 }), signingKey);
    case 'wrong_issuer':
      return resign(idToken, (p) => ({ ...p, iss: 'http://issuer.invalid' }), signingKey);
    case 'bad_signature': {
      // Same kid, so a client picks the provider's published key and the signature check fails.
      const { privateKey: otherKey } = await generateKeyPair(ALG);
      return resign(idToken, (p) => p, otherKey);
    }
    default:
      return idToken;
  }
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/__test__/health' && ctx.method === 'GET') {
    ctx.body = { ok: true };
    return;
  }
  if (ctx.path === '/__test__/tamper' && ctx.method === 'POST') {
    let requested;
    try {
      requested = JSON.parse(await readBody(ctx.req)).mode;
    } catch {
      requested = undefined;
    }
    if (!MODES.has(requested)) {
      ctx.status = 400;
      ctx.body = { ok: false, error: `mode must be one of ${[...MODES].join(', ')}` };
      return;
    }
    mode = requested;
    ctx.body = { ok: true };
    return;
  }

  await next();

  if (ctx.path !== '/token' || ctx.method !== 'POST' || ctx.status !== 200) return;
  const genuine = ctx.body?.id_token;
  if (typeof genuine !== 'string') return;

  if (mode === 'replay') {
    if (!lastGenuineIdToken) {
      ctx.status = 500;
      ctx.body = { error: 'server_error', error_description: 'replay: no earlier id_token to send' };
      return;
    }
    ctx.body = { ...ctx.body, id_token: lastGenuineIdToken };
  } else if (mode !== 'none') {
    ctx.body = { ...ctx.body, id_token: await tamperedIdToken(genuine) };
  }
  lastGenuineIdToken = genuine;
});

// --- the interaction: one form post signs in and consents ---

provider.use(async (ctx, next) => {
  const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(ctx.path);
  if (!match) {
    await next();
    return;
  }
  const [, uid, login] = match;
  ctx.set('Cache-Control', 'no-store');

  let interaction;
  try {
    interaction = await provider.interactionDetails(ctx.req, ctx.res);
  } catch (error) {
    // No interaction cookie or an expired interaction: say so instead of Koa's bare 500.
    ctx.status = 400;
    ctx.body = `no interaction in progress: ${error.message}`;
    return;
  }
  if (interaction.uid !== uid) {
    ctx.status = 400;
    ctx.body = 'interaction mismatch';
    return;
  }

  if (!login && ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = loginForm(uid);
    return;
  }
  if (!login || ctx.method !== 'POST') {
    ctx.status = 405;
    return;
  }

  const name = new URLSearchParams(await readBody(ctx.req)).get('login') ?? '';
  const claims = Object.hasOwn(ACCOUNTS, name) ? ACCOUNTS[name] : undefined;
  if (!claims) {
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = loginForm(uid, { error: `Unknown login: ${name}` });
    return;
  }

  const accountId = claims.sub;
  const grant = new provider.Grant({ accountId, clientId: interaction.params.client_id });
  grant.addOIDCScope('openid email profile');
  const grantId = await grant.save();

  // interactionFinished writes the 303 itself; Koa must not answer on top of it.
  ctx.respond = false;
  await provider.interactionFinished(
    ctx.req,
    ctx.res,
    { login: { accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
});

const server = provider.listen(PORT, '127.0.0.1', () => {
  process.stdout.write('ready\n');
});

function stop() {
  server.close(() => process.exit(0));
  // Keep-alive connections would hold close() open; the tests have nothing left to say.
  server.closeAllConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
