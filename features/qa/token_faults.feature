@qa
Feature: Faults at Salesforce's token endpoint
  A refresh can fail for good (the app's secret no longer matches) or for a while (the token
  endpoint is down). Only the first needs the member to reconnect.

  Background:
    Given the sales app team has admin "Ann" and reps "Alice"
    And Salesforce user "alice@acme.test" with profile "Standard User"
    And team sync is connected with client credentials as "int@acme.test"
    And Alice has connected Salesforce user "alice@acme.test" as personal credential

  @X-07 @X-08
  Scenario: A rotated consumer secret makes the member reconnect, and pushes go on through team sync
    Given the connected app's consumer secret has been rotated
    And the access tokens of "alice@acme.test" have expired
    When Alice pushes a new Contact "Jane Doe"
    Then Alice's personal connection is "needs_reauth"
    And the connection events of Alice's personal credential are "needs_reauth"
    And the token endpoint was called 1 time for a refresh
    And Alice is notified "reconnect"
    And the push succeeded
    And the Salesforce Contact "Jane Doe" is owned by "alice@acme.test"
    And the Salesforce Contact "Jane Doe" was created by "int@acme.test"

  @X-21 @X-07
  Scenario: A token endpoint that answers 503 is retried later, not treated as a lost grant
    Given the access tokens of "alice@acme.test" have expired
    And Salesforce's token endpoint answers the next 1 requests with 503
    When Alice pushes a new Contact "Jane Doe"
    Then Alice's personal connection is "connected"
    When the sync worker runs until nothing is due
    Then the push succeeded
    And the Salesforce Contact "Jane Doe" was created by "alice@acme.test"
    And the connection events of Alice's personal credential are none

  @X-10
  Scenario: Two refreshes racing with a rotating refresh token call Salesforce once
    Given the connected app rotates refresh tokens
    And the access tokens of "alice@acme.test" have expired
    When two refreshes of Alice's personal credential race
    Then both racing refreshes got a token
    And the token endpoint was called 1 time for a refresh
    And Alice's personal connection is "connected"

  @X-07 @X-08
  Scenario: Grants revoked in Salesforce move the member's pushes to team sync
    When the Salesforce grants of "alice@acme.test" are revoked
    And Alice pushes a new Contact "Jane Doe"
    Then Alice's personal connection is "needs_reauth"
    And the push succeeded
    And the Salesforce Contact "Jane Doe" is owned by "alice@acme.test"
    And Salesforce saw the Contact written with the token of "int@acme.test"
