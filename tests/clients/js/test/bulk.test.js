// jsforce's Bulk APIs against the mock: bulk2 load and query, Bulk 1.0 load and query, and the
// automatic switch to Bulk above 200 records in find().update() / destroy().
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { connectionAs, newOrg, tokenFor } from '../lib/mock.js';

async function userConnection(t) {
  const org = await newOrg(t);
  return { org, conn: connectionAs(await tokenFor(org, 'user@test.org')) };
}

function accounts(count, prefix) {
  return Array.from({ length: count }, (_, n) => ({ Name: `${prefix} ${String(n).padStart(3, '0')}` }));
}

test('bulk2.loadAndWaitForResults inserts and reports failed rows', async (t) => {
  const { org, conn } = await userConnection(t);
  const results = await conn.bulk2.loadAndWaitForResults({
    object: 'Account',
    operation: 'insert',
    input: [{ Name: 'Good', NumberOfEmployees: 5 }, { Name: null, NumberOfEmployees: 1 }],
  });
  assert.equal(results.successfulResults.length, 1, JSON.stringify(results));
  const [ok] = results.successfulResults;
  assert.equal(ok.sf__Created, 'true');
  assert.equal(ok.Name, 'Good');
  assert.equal(ok.sf__Id.length, 18);
  assert.equal(results.failedResults.length, 1);
  assert.match(results.failedResults[0].sf__Error, /^REQUIRED_FIELD_MISSING:Required fields are missing: \[Name\]:Name --$/);
  assert.deepEqual(results.unprocessedRecords, []);
  const journal = await org.call('GET', '/journal?api=bulk2');
  assert.ok(journal.some((e) => e.operation === 'upload_job_data'), JSON.stringify(journal));
});

test('bulk2 upsert, delete and an empty load', async (t) => {
  const { org, conn } = await userConnection(t);
  await org.call('POST', '/fields', { object: 'Account', name: 'Ext__c', type: 'string', external_id: true });
  const upsert = await conn.bulk2.loadAndWaitForResults({
    object: 'Account', operation: 'upsert', externalIdFieldName: 'Ext__c',
    input: [{ Ext__c: 'a', Name: 'A' }, { Ext__c: 'b', Name: 'B' }],
  });
  assert.equal(upsert.successfulResults.length, 2, JSON.stringify(upsert));
  const ids = upsert.successfulResults.map((r) => r.sf__Id);
  const removed = await conn.bulk2.loadAndWaitForResults({
    object: 'Account', operation: 'delete', input: ids.map((Id) => ({ Id })),
  });
  assert.deepEqual(removed.successfulResults.map((r) => r.sf__Created), ['false', 'false']);
  const empty = await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input: [] });
  assert.deepEqual(empty.successfulResults, []);
});

test('bulk2.query streams every row as records', async (t) => {
  const { conn } = await userConnection(t);
  await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input: accounts(3, 'Q') });
  const records = await (await conn.bulk2.query('SELECT Name, Phone FROM Account ORDER BY Name')).toArray();
  assert.deepEqual(records.map((r) => r.Name), ['Q 000', 'Q 001', 'Q 002']);
  assert.equal(records[0].Phone, '');
});

test('Bulk 1.0 load and query', async (t) => {
  const { org, conn } = await userConnection(t);
  const loaded = await conn.bulk.load('Account', 'insert', [{ Name: 'One' }, { Phone: '1' }]);
  assert.equal(loaded.length, 2);
  assert.equal(loaded[0].success, true);
  assert.equal(loaded[0].id.length, 18);
  assert.equal(loaded[1].success, false);
  assert.match(loaded[1].errors[0], /^REQUIRED_FIELD_MISSING/);
  const rows = await (await conn.bulk.query('SELECT Id, Name FROM Account')).toArray();
  assert.deepEqual(rows.map((r) => r.Name), ['One']);
  await closedJobs(org, 2);
});

test('find().update() and destroy() switch to Bulk 1.0 above 200 records', async (t) => {
  const { org, conn } = await userConnection(t);
  const loaded = await conn.bulk2.loadAndWaitForResults({
    object: 'Account', operation: 'insert', input: accounts(250, 'Many'),
  });
  assert.equal(loaded.successfulResults.length, 250);
  await org.call('DELETE', '/journal');
  const updated = await conn.sobject('Account').find({ Name: { $like: 'Many%' } }).update({ Phone: '555' });
  assert.equal(updated.length, 250);
  assert.ok(updated.every((r) => r.success), JSON.stringify(updated.filter((r) => !r.success)));
  const bulkCalls = await org.call('GET', '/journal?api=bulk');
  assert.ok(bulkCalls.some((e) => e.operation === 'add_batch'), JSON.stringify(bulkCalls));
  const phones = await conn.query("SELECT COUNT() FROM Account WHERE Phone = '555'");
  assert.equal(phones.totalSize, 250);

  const few = await conn.sobject('Account').find({ Name: { $like: 'Many 00%' } }).update({ Phone: '1' });
  assert.equal(few.length, 10);
  const destroyed = await conn.sobject('Account').find({ Name: { $like: 'Many%' } }).destroy();
  assert.equal(destroyed.length, 250);
  assert.ok(destroyed.every((r) => r.success));
  const left = await conn.query('SELECT COUNT() FROM Account');
  assert.equal(left.totalSize, 0);
  await closedJobs(org, 2);
});

// jsforce closes a Bulk 1.0 job after it has the results, without waiting for the answer:
// wait for those calls before the org is deleted.
async function closedJobs(org, count) {
  for (let tries = 0; tries < 100; tries += 1) {
    const calls = await org.call('GET', '/journal?api=bulk&operation=change_job_state');
    if (calls.length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`jsforce did not close ${count} Bulk 1.0 jobs`);
}

test('find().update() with bulkApiVersion 2 uses Bulk API 2.0', async (t) => {
  const { org, conn } = await userConnection(t);
  await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input: accounts(201, 'V2') });
  await org.call('DELETE', '/journal');
  const updated = await conn.sobject('Account').find({}).update({ Phone: '2' }, { bulkApiVersion: 2 });
  assert.equal(updated.length, 201);
  assert.ok(updated.every((r) => r.success), JSON.stringify(updated.slice(0, 2)));
  const calls = await org.call('GET', '/journal?api=bulk2');
  assert.ok(calls.some((e) => e.operation === 'create_ingest_job'), JSON.stringify(calls));
});

test('a held Bulk 2.0 job times out in jsforce polling', async (t) => {
  const { org, conn } = await userConnection(t);
  await org.call('PATCH', '/bulk', { hold: true });
  conn.bulk2.pollTimeout = 2000;
  conn.bulk2.pollInterval = 200;
  await assert.rejects(
    conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input: [{ Name: 'x' }] }),
    { name: 'JobPollingTimeout' },
  );
});
