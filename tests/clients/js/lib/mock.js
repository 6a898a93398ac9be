// The mock's control plane, seen from Node: a fresh org per test, deleted afterwards.
//
// MOCK_SF_URL is the mock's HTTPS base URL; NODE_EXTRA_CA_CERTS must name its CA file
// (tests/clients/test_jsforce.py sets both). Nothing in jsforce is patched.
import jsforce from 'jsforce';

export const MOCK_URL = process.env.MOCK_SF_URL;
if (!MOCK_URL) {
  throw new Error('MOCK_SF_URL is not set: run these tests through tests/clients/test_jsforce.py');
}
export const VERSION = '59.0';
export const CALLBACK = 'http://localhost:8080/callback';

export async function control(method, path, body) {
  const response = await fetch(`${MOCK_URL}/_mock${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} /_mock${path} -> ${response.status}: ${text}`);
  }
  return text ? JSON.parse(text) : null;
}

const ORG = {
  name: 'jsforce org',
  users: [
    {
      username: 'admin@test.org', first_name: 'Ada', last_name: 'Admin',
      profile: 'System Administrator', password: 'admin-pass-1', security_token: 'ADMINTOK',
    },
    {
      username: 'user@test.org', first_name: 'Uma', last_name: 'User',
      profile: 'Standard User', password: 'user-pass-1', security_token: 'USERTOK',
    },
  ],
  connected_apps: [{ name: 'jsforce app', callback_urls: [CALLBACK] }],
};

// A fresh org for test context `t`: { id, users, app, call(method, path, body) }.
export async function newOrg(t) {
  const [created] = await control('POST', '/seed', { orgs: [ORG] });
  t.after(() => control('DELETE', `/orgs/${created.id}`));
  return {
    id: created.id,
    users: created.users,
    app: created.connected_apps[0],
    call: (method, path, body) => control(method, `/orgs/${created.id}${path}`, body),
  };
}

// An access token for `username` without an OAuth dance (the control plane's shortcut).
export async function tokenFor(org, username) {
  const session = await org.call('POST', `/users/${username}/sessions`, {});
  return session.access_token;
}

export function connectionAs(accessToken) {
  return new jsforce.Connection({ instanceUrl: MOCK_URL, accessToken, version: VERSION });
}

// The web-server flow as a browser does it: GET the authorize page, post its login form, read
// the code from the redirect to the callback. The user approved the app beforehand.
export async function authorizationCode(org, oauth2, username, password) {
  await org.call('POST', `/users/${username}/approvals`, { client_id: org.app.client_id });
  const url = oauth2.getAuthorizationUrl({ scope: 'api refresh_token', state: 'st-1' });
  const page = await fetch(url);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`authorize page: ${page.status} ${html}`);
  // The login form carries a CSRF token bound to a cookie: send both back, as a browser does.
  const csrfToken = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const login = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
    body: new URLSearchParams({
      step: 'login', username, password, csrf_token: csrfToken,
    }).toString(),
  });
  const location = login.headers.get('location');
  if (login.status !== 302 || !location) {
    throw new Error(`login did not redirect: ${login.status} ${await login.text()}`);
  }
  const params = new URL(location).searchParams;
  if (params.get('state') !== 'st-1') throw new Error(`state not echoed: ${location}`);
  return params.get('code');
}

export function oauth2For(org) {
  return new jsforce.OAuth2({
    loginUrl: MOCK_URL,
    clientId: org.app.client_id,
    clientSecret: org.app.client_secret,
    redirectUri: CALLBACK,
  });
}

export async function expireSessions(org, username) {
  await org.call('POST', `/users/${username}/sessions/expire`);
}
