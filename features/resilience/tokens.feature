@resilience
Feature: Expired, revoked and rotated tokens
  Salesforce never says when a token expires: a 401 means refresh once and retry once. A
  refused refresh means the member must reconnect, and the app says so once, not in a loop.

  Background:
    Given the sales app team has admin "Ann" and reps "Alice" and "Bob"
    And Salesforce user "alice@acme.test" with profile "Standard User"
    And team sync is connected with client credentials as "int@acme.test"
    And Alice has connected Salesforce user "alice@acme.test" as personal credential

  @X-06
  Scenario: An expired access token is refreshed once and the push goes through
    Given the access tokens of "alice@acme.test" have expired
    When Alice pushes a new Contact "Jane Doe"
    Then the push succeeded
    And the Salesforce Contact "Jane Doe" was created by "alice@acme.test"
    And the token endpoint was called 1 time for a refresh
    And Alice's personal connection is "connected"

  @X-06
  Scenario: A session still refused after one refresh stops there, logged, without a loop
    Given Salesforce refuses the next 2 calls made as "alice@acme.test" with "INVALID_SESSION_ID"
    When Alice pushes a new Contact "Jane Doe"
    Then the push failed with "INVALID_SESSION_ID"
    And the token endpoint was called 1 time for a refresh
    And "Jane Doe" is not in Salesforce

  @X-07 @X-29
  Scenario: A revoked grant needs re-authorisation, and the member is told once
    Given the Salesforce grants of "alice@acme.test" have been revoked
    When Alice pushes a new Contact "Jane Doe"
    Then Alice's personal connection is "needs_reauth"
    And Alice is notified "reconnect"
    And the token endpoint was called 1 time for a refresh
    And the connection events of Alice's personal credential end with "needs_reauth"

  @X-07 @X-08
  Scenario: A member whose login needs re-authorisation is told once, not on every push
    Given the Salesforce grants of "alice@acme.test" have been revoked
    When Alice pushes a new Contact "Jane Doe"
    And Alice pushes a new Contact "John Roe"
    And the sync worker runs until nothing is due
    Then the push succeeded
    And Alice's personal connection is "needs_reauth"
    And Alice is notified "reconnect" 1 time
    And the token endpoint was called 1 time for a refresh

  @X-07
  Scenario: A deactivated Salesforce user's login needs re-authorisation
    Given Salesforce user "alice@acme.test" is deactivated
    When Alice pushes a new Contact "Jane Doe"
    Then Alice's personal connection is "needs_reauth"

  @X-10
  Scenario: With refresh-token rotation the rotated token is kept and reused
    Given the connected app rotates refresh tokens
    And the access tokens of "alice@acme.test" have expired
    When Alice pushes a new Contact "Jane Doe"
    And the access tokens of "alice@acme.test" have expired
    And Alice pushes a new Contact "John Roe"
    Then the push succeeded
    And the token endpoint was called 2 times for a refresh
    And Alice's personal connection is "connected"

  @X-13
  Scenario: Each connection calls the instance its token was issued for
    When Alice pushes a new Contact "Jane Doe"
    Then every call with the token of "alice@acme.test" went to the org's own instance

  @X-10
  Scenario: Two pushes racing with an expired token make one refresh between them
    Given the connected app rotates refresh tokens
    And the access tokens of "alice@acme.test" have expired
    And Salesforce's token endpoint takes 1 second to answer
    When Alice pushes new Contacts "Jane Doe" and "John Roe" at the same moment
    Then the push succeeded
    And the token endpoint was called 1 time for a refresh
    And Alice's personal connection is "connected"
