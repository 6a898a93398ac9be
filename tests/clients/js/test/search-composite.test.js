// jsforce's search() (SOSL) and composite batch / tree through conn.requestPost, as users call
// the resources jsforce has no helper for.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { connectionAs, newOrg, tokenFor } from '../lib/mock.js';

async function userConnection(t) {
  const org = await newOrg(t);
  return { org, conn: connectionAs(await tokenFor(org, 'user@test.org')) };
}

test('search() answers searchRecords of the records the user can see', async (t) => {
  const { conn } = await userConnection(t);
  await conn.sobject('Contact').create([{ LastName: 'Acme Buyer' }, { LastName: 'Other' }]);
  const found = await conn.search('FIND {acme} IN NAME FIELDS RETURNING Contact(Id, LastName)');
  assert.deepEqual(found.searchRecords.map((r) => r.LastName), ['Acme Buyer']);
  assert.equal(found.searchRecords[0].attributes.type, 'Contact');
});

test('a malformed search rejects with MALFORMED_SEARCH', async (t) => {
  const { conn } = await userConnection(t);
  await assert.rejects(conn.search('FIND acme'), { errorCode: 'MALFORMED_SEARCH' });
});

test('composite batch runs independent subrequests', async (t) => {
  const { conn } = await userConnection(t);
  const body = await conn.requestPost('/composite/batch', {
    batchRequests: [
      { method: 'POST', url: 'v59.0/sobjects/Account', richInput: { Name: 'Batch Co' } },
      { method: 'GET', url: 'v59.0/query?q=SELECT+Name+FROM+Account' },
    ],
  });
  assert.equal(body.hasErrors, false);
  assert.deepEqual(body.results.map((r) => r.statusCode), [201, 200]);
  assert.equal(body.results[1].result.records[0].Name, 'Batch Co');
});

test('composite tree inserts an account with its contacts, all or nothing', async (t) => {
  const { conn } = await userConnection(t);
  const tree = await conn.requestPost('/composite/tree/Account', {
    records: [{
      attributes: { type: 'Account', referenceId: 'acc' },
      Name: 'Tree Co',
      Contacts: { records: [{ attributes: { type: 'Contact', referenceId: 'c1' }, LastName: 'Leaf' }] },
    }],
  });
  assert.equal(tree.hasErrors, false);
  const ids = Object.fromEntries(tree.results.map((r) => [r.referenceId, r.id]));
  const contact = await conn.sobject('Contact').retrieve(ids.c1);
  assert.equal(contact.AccountId, ids.acc);
  await assert.rejects(
    conn.requestPost('/composite/tree/Account', {
      records: [{ attributes: { type: 'Account', referenceId: 'bad' } }],
    }),
    (error) => JSON.stringify(error).includes('REQUIRED_FIELD_MISSING') || /REQUIRED_FIELD_MISSING/.test(error.message),
  );
});
