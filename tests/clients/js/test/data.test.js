// jsforce's data calls against the mock: CRUD, collections, upsert, queries, describe, errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import jsforce from 'jsforce';

import { MOCK_URL, connectionAs, newOrg, tokenFor } from '../lib/mock.js';

async function userConnection(t) {
  const org = await newOrg(t);
  return { org, conn: connectionAs(await tokenFor(org, 'user@test.org')) };
}

async function addExternalId(org) {
  await org.call('POST', '/fields', {
    object: 'Contact', name: 'Legacy_Id__c', type: 'string', external_id: true,
  });
}

test('create, retrieve, update and destroy one record', async (t) => {
  const { org, conn } = await userConnection(t);
  const contacts = conn.sobject('Contact');
  const created = await contacts.create({ LastName: 'Doe', Email: 'doe@example.com' });
  assert.equal(created.success, true);
  assert.equal(created.id.length, 18);
  const record = await contacts.retrieve(created.id);
  assert.equal(record.attributes.type, 'Contact');
  assert.equal(record.OwnerId, org.users['user@test.org']);
  const updated = await contacts.update({ Id: created.id, Title: 'CTO' });
  assert.deepEqual(updated, { id: created.id, success: true, errors: [] });
  assert.equal((await contacts.retrieve(created.id)).Title, 'CTO');
  const destroyed = await contacts.destroy(created.id);
  assert.equal(destroyed.success, true);
  await assert.rejects(contacts.retrieve(created.id), { name: 'ENTITY_IS_DELETED' });
  assert.ok(conn.limitInfo.apiUsage.used > 0, JSON.stringify(conn.limitInfo));
});

test('arrays go through sObject Collections', async (t) => {
  const { conn } = await userConnection(t);
  const contacts = conn.sobject('Contact');
  const created = await contacts.create([{ LastName: 'A' }, { FirstName: 'no last name' }]);
  assert.equal(created.length, 2);
  assert.equal(created[0].success, true);
  assert.equal(created[1].success, false);
  assert.equal(created[1].errors[0].statusCode, 'REQUIRED_FIELD_MISSING');
  assert.deepEqual(created[1].errors[0].fields, ['LastName']);

  const more = await contacts.create([{ LastName: 'B' }, { LastName: 'C' }], { allOrNone: true });
  const ids = [created[0].id, ...more.map((r) => r.id)];
  const records = await contacts.retrieve(ids);
  assert.deepEqual(records.map((r) => r.LastName), ['A', 'B', 'C']);

  const updated = await contacts.update(ids.map((Id) => ({ Id, Title: 'Buyer' })));
  assert.ok(updated.every((r) => r.success), JSON.stringify(updated));
  const destroyed = await contacts.destroy(ids);
  assert.deepEqual(destroyed.map((r) => r.success), [true, true, true]);
});

test('allOrNone rolls the whole array back', async (t) => {
  const { conn } = await userConnection(t);
  const results = await conn.sobject('Contact').create(
    [{ LastName: 'Kept?' }, { FirstName: 'no last name' }],
    { allOrNone: true },
  );
  assert.equal(results[0].success, false);
  assert.equal(results[0].errors[0].statusCode, 'ALL_OR_NONE_OPERATION_ROLLED_BACK');
  assert.equal((await conn.sobject('Contact').count()), 0);
});

test('upsert by external id, one record and an array', async (t) => {
  const { org, conn } = await userConnection(t);
  await addExternalId(org);
  const contacts = conn.sobject('Contact');
  const inserted = await contacts.upsert({ LastName: 'First', Legacy_Id__c: 'L-1' }, 'Legacy_Id__c');
  assert.equal(inserted.success, true);
  assert.equal(inserted.created, true);
  const updated = await contacts.upsert({ Title: 'Again', Legacy_Id__c: 'L-1' }, 'Legacy_Id__c');
  assert.equal(updated.success, true);
  assert.equal(updated.created, false);
  const many = await contacts.upsert(
    [{ LastName: 'Second', Legacy_Id__c: 'L-2' }, { Title: 'Third time', Legacy_Id__c: 'L-1' }],
    'Legacy_Id__c',
  );
  assert.deepEqual(many.map((r) => [r.success, r.created]), [[true, true], [true, false]]);
  const found = await contacts.findOne({ Legacy_Id__c: 'L-1' }, ['LastName', 'Title']);
  assert.equal(found.Title, 'Third time');
});

test('upsert with several matches is MULTIPLE_CHOICES', async (t) => {
  const { org, conn } = await userConnection(t);
  await addExternalId(org);
  await org.call('POST', '/records', {
    object: 'Contact',
    as_user: 'user@test.org',
    records: [{ LastName: 'A', Legacy_Id__c: 'dup' }, { LastName: 'B', Legacy_Id__c: 'dup' }],
  });
  await assert.rejects(
    conn.sobject('Contact').upsert({ Title: 'x', Legacy_Id__c: 'dup' }, 'Legacy_Id__c'),
    (err) => {
      assert.equal(err.name, 'MULTIPLE_CHOICES');
      assert.equal(err.content.length, 2);
      return true;
    },
  );
});

test('query with autoFetch follows every page; count() is lower case', async (t) => {
  const { conn } = await userConnection(t);
  const rows = Array.from({ length: 450 }, (_, i) => ({ LastName: `Row ${String(i).padStart(3, '0')}` }));
  const created = await conn.sobject('Contact').create(rows, { allowRecursive: true });
  assert.equal(created.filter((r) => r.success).length, 450);

  let fetches = 0;
  const query = conn.query('SELECT Id, LastName, Owner.Name FROM Contact ORDER BY LastName', {
    autoFetch: true,
    maxFetch: 1000,
    headers: { 'Sforce-Query-Options': 'batchSize=200' },
  });
  query.on('fetch', () => { fetches += 1; });
  const result = await query;
  assert.equal(result.totalSize, 450);
  assert.equal(result.records.length, 450);
  assert.equal(result.done, true);
  assert.equal(fetches, 3, 'three pages of at most 200');
  assert.equal(result.records[0].LastName, 'Row 000');
  assert.equal(result.records[449].Owner.Name, 'Uma User');

  assert.equal(await conn.sobject('Contact').count(), 450);
  assert.equal(await conn.sobject('Contact').count({ LastName: { $like: 'Row 1%' } }), 100);
});

test('a query locator from one API version continues on another', async (t) => {
  const { conn } = await userConnection(t);
  const rows = Array.from({ length: 250 }, (_, i) => ({ LastName: `L${i}` }));
  await conn.sobject('Contact').create(rows, { allowRecursive: true });
  const first = await conn.query('SELECT Id FROM Contact', {
    headers: { 'Sforce-Query-Options': 'batchSize=200' },
  });
  assert.equal(first.records.length, 200);
  assert.match(first.nextRecordsUrl, /\/v59\.0\/query\/01g/);
  const newer = new jsforce.Connection({
    instanceUrl: MOCK_URL, accessToken: conn.accessToken, version: '60.0',
  });
  const rest = await newer.queryMore(first.nextRecordsUrl);
  assert.equal(rest.records.length, 50);
  assert.equal(rest.done, true);
  assert.match(rest.records[0].attributes.url, /\/v60\.0\//);
});

test('an instanceUrl ending in / works (jsforce then sends //services/...)', async (t) => {
  const { conn } = await userConnection(t);
  const slashed = new jsforce.Connection({
    instanceUrl: `${MOCK_URL}/`, accessToken: conn.accessToken, version: '59.0',
  });
  const created = await slashed.sobject('Contact').create({ LastName: 'Slashed' });
  const found = await slashed.query(`SELECT LastName FROM Contact WHERE Id = '${created.id}'`);
  assert.equal(found.records[0].LastName, 'Slashed');
});

test('describe and describeGlobal', async (t) => {
  const { conn } = await userConnection(t);
  const global = await conn.describeGlobal();
  const names = global.sobjects.map((o) => o.name);
  for (const name of ['Account', 'Contact', 'Lead', 'Task', 'Event']) {
    assert.ok(names.includes(name), `${name} missing from ${names}`);
  }
  const lead = await conn.sobject('Lead').describe();
  assert.equal(lead.keyPrefix, '00Q');
  const owner = lead.fields.find((f) => f.name === 'OwnerId');
  assert.deepEqual(owner.referenceTo, ['Group', 'User']);
});

test('errors are named after Salesforce error codes', async (t) => {
  const { org, conn } = await userConnection(t);
  const contacts = conn.sobject('Contact');
  await assert.rejects(contacts.create({ LastName: 'Doe', Nope__c: 1 }), {
    name: 'INVALID_FIELD',
    message: "No such column 'Nope__c' on sobject of type Contact",
  });
  await assert.rejects(contacts.retrieve('003000000000000AAA'), { name: 'NOT_FOUND' });
  await assert.rejects(conn.query('SELECT Id FRM Contact'), { name: 'MALFORMED_QUERY' });
  await assert.rejects(conn.query('SELECT Nope FROM Contact'), { name: 'INVALID_FIELD' });
  await assert.rejects(conn.query('SELECT Id FROM Widget__c'), { name: 'INVALID_TYPE' });
  await assert.rejects(conn.sobject('Widget__c').describe(), { name: 'NOT_FOUND' });
  await org.call('PATCH', '/settings', { api_daily_limit: 1 });
  await assert.rejects(conn.limits(), {
    name: 'REQUEST_LIMIT_EXCEEDED',
    message: 'TotalRequests Limit exceeded.',
  });
});
