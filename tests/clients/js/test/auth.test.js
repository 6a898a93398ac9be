// jsforce's logins against the mock: OAuth password, SOAP, the web-server flow, refresh on 401.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import jsforce from 'jsforce';

import {
  CALLBACK, MOCK_URL, VERSION, authorizationCode, connectionAs, expireSessions, newOrg, oauth2For, tokenFor,
} from '../lib/mock.js';

test('OAuth password login on the mock login URL', async (t) => {
  const org = await newOrg(t);
  const conn = new jsforce.Connection({
    loginUrl: MOCK_URL,
    version: VERSION,
    oauth2: { loginUrl: MOCK_URL, clientId: org.app.client_id, clientSecret: org.app.client_secret },
  });
  const userInfo = await conn.login('user@test.org', 'user-pass-1USERTOK');
  assert.equal(userInfo.id, org.users['user@test.org']);
  assert.equal(userInfo.organizationId, org.id);
  assert.equal(conn.instanceUrl, MOCK_URL);
  assert.match(conn.accessToken, new RegExp(`^${org.id.slice(0, 15)}!`));
  const identity = await conn.identity();
  assert.equal(identity.username, 'user@test.org');
  assert.equal(identity.user_id, org.users['user@test.org']);
});

test('OAuth password login with a wrong password is invalid_grant', async (t) => {
  const org = await newOrg(t);
  const conn = new jsforce.Connection({
    loginUrl: MOCK_URL,
    oauth2: { loginUrl: MOCK_URL, clientId: org.app.client_id, clientSecret: org.app.client_secret },
  });
  await assert.rejects(conn.login('user@test.org', 'wrong'), {
    name: 'invalid_grant',
    message: 'authentication failure',
  });
});

test('client credentials on the mock (its base URL is a My Domain)', async (t) => {
  const org = await newOrg(t);
  await org.call('PATCH', `/apps/${org.app.client_id}`, { client_credentials_user: 'admin@test.org' });
  const conn = new jsforce.Connection({ oauth2: oauth2For(org), version: VERSION });
  const userInfo = await conn.authorize({ grant_type: 'client_credentials' });
  assert.equal(userInfo.id, org.users['admin@test.org']);
  assert.equal(userInfo.organizationId, org.id);
  const created = await conn.sobject('Contact').create({ LastName: 'Run as' });
  const record = await conn.sobject('Contact').retrieve(created.id);
  assert.equal(record.CreatedById, org.users['admin@test.org']);
});

test('SOAP login, then jsforce logs in again after the session expires', async (t) => {
  const org = await newOrg(t);
  const conn = new jsforce.Connection({ loginUrl: MOCK_URL, version: VERSION });
  const userInfo = await conn.login('user@test.org', 'user-pass-1USERTOK');
  assert.equal(userInfo.id, org.users['user@test.org']);
  assert.equal(userInfo.organizationId, org.id);
  assert.equal(conn.instanceUrl, MOCK_URL);
  const first = conn.accessToken;
  await expireSessions(org, 'user@test.org');
  const created = await conn.sobject('Contact').create({ LastName: 'After SOAP refresh' });
  assert.equal(created.success, true);
  assert.notEqual(conn.accessToken, first);
  const identity = await conn.identity();
  assert.equal(identity.organization_id, org.id);
});

test('SOAP login with a wrong password rejects with INVALID_LOGIN', async (t) => {
  await newOrg(t);
  const conn = new jsforce.Connection({ loginUrl: MOCK_URL, version: VERSION });
  await assert.rejects(conn.login('user@test.org', 'wrong'), /INVALID_LOGIN/);
});

test('instanceUrl + accessToken connection refreshes an expired session', async (t) => {
  const org = await newOrg(t);
  const oauth2 = oauth2For(org);
  const code = await authorizationCode(org, oauth2, 'user@test.org', 'user-pass-1');
  const first = new jsforce.Connection({ oauth2, version: VERSION });
  const userInfo = await first.authorize(code);
  assert.equal(userInfo.id, org.users['user@test.org']);
  assert.ok(first.refreshToken, 'the code exchange should return a refresh token');

  const conn = new jsforce.Connection({
    oauth2,
    version: VERSION,
    instanceUrl: first.instanceUrl,
    accessToken: first.accessToken,
    refreshToken: first.refreshToken,
  });
  const refreshed = [];
  conn.on('refresh', (accessToken) => refreshed.push(accessToken));
  await expireSessions(org, 'user@test.org');
  const result = await conn.query('SELECT Id FROM Contact');
  assert.equal(result.totalSize, 0);
  assert.equal(refreshed.length, 1, 'jsforce should have refreshed once');
  assert.equal(conn.accessToken, refreshed[0]);
  assert.notEqual(conn.accessToken, first.accessToken);
  const journal = await org.call('GET', '/journal?api=oauth&operation=refresh_token');
  assert.equal(journal.length, 1);
});

test('web-server flow with PKCE (jsforce sends no code_challenge_method)', async (t) => {
  const org = await newOrg(t);
  await org.call('PATCH', `/apps/${org.app.client_id}`, { pkce_required: true });
  const oauth2 = new jsforce.OAuth2({
    loginUrl: MOCK_URL,
    clientId: org.app.client_id,
    clientSecret: org.app.client_secret,
    redirectUri: CALLBACK,
    useVerifier: true,
  });
  assert.match(oauth2.getAuthorizationUrl(), /code_challenge=/);
  const code = await authorizationCode(org, oauth2, 'user@test.org', 'user-pass-1');
  const conn = new jsforce.Connection({ oauth2, version: VERSION });
  const userInfo = await conn.authorize(code);
  assert.equal(userInfo.id, org.users['user@test.org']);
  assert.ok(conn.refreshToken);
});

test('identity from an accessToken-only connection', async (t) => {
  const org = await newOrg(t);
  const conn = connectionAs(await tokenFor(org, 'user@test.org'));
  const identity = await conn.identity();
  assert.equal(identity.user_id, org.users['user@test.org']);
  assert.equal(identity.organization_id, org.id);
  assert.equal(identity.username, 'user@test.org');
});

test('a bad token without a way to refresh is INVALID_SESSION_ID', async (t) => {
  const org = await newOrg(t);
  const conn = connectionAs(`${org.id.slice(0, 15)}!not-a-token`);
  await assert.rejects(conn.sobject('Contact').describe(), { name: 'INVALID_SESSION_ID' });
});

test('logout ends a SOAP session and an OAuth session', async (t) => {
  const org = await newOrg(t);
  const soap = new jsforce.Connection({ loginUrl: MOCK_URL, version: VERSION });
  await soap.login('user@test.org', 'user-pass-1USERTOK');
  const oauth = new jsforce.Connection({
    loginUrl: MOCK_URL,
    version: VERSION,
    oauth2: { loginUrl: MOCK_URL, clientId: org.app.client_id, clientSecret: org.app.client_secret },
  });
  await oauth.login('user@test.org', 'user-pass-1USERTOK');
  for (const conn of [soap, oauth]) {
    const token = conn.accessToken;
    await conn.logout();
    assert.equal(conn.accessToken, null);
    await assert.rejects(connectionAs(token).limits(), { name: 'INVALID_SESSION_ID' });
  }
});
