"""Record behaviour: create, read, update, delete, upsert and collections, as the token's user.

Every rule of Salesforce's permission and ownership model that applies to records lives here
(and in ``mock_salesforce.security``, the one evaluator); the REST views and the composite
resource only translate HTTP to these calls.
"""
