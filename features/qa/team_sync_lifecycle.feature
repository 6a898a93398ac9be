@qa
Feature: Team sync over its lifetime
  An admin connects team sync, re-checks it after a permission changed in Salesforce,
  disconnects it and connects it again; its history stays whole.

  Background:
    Given the sales app team has admin "Ann" and reps "Alice"
    And team sync is connected with client credentials as "int@acme.test"

  @S-02 @X-29
  Scenario: Re-checking team sync reports a permission taken away, without reconnecting
    When the integration permission set gives "read" access to Contact.Title
    And Ann re-checks team sync
    Then the team sync connection is "degraded"
    And the preflight reports "Contact.Title: no edit permission"
    And the connection events of team sync are "degraded"

  @X-29 @S-01
  Scenario: Reconnecting team sync continues its event history
    Given the connected app pre-authorizes the "Sales_Sync" permission set
    When Ann disconnects team sync
    Then the team sync connection is "disconnected"
    When Ann connects team sync with a JWT as "int@acme.test"
    Then the team sync connection is "connected"
    And the connection events of team sync are "disconnected"

  @S-01 @X-28
  Scenario: Work pushed while team sync is disconnected waits and is logged, not lost
    When Ann disconnects team sync
    And Alice pushes a new Contact "Jane Doe"
    Then the push is waiting to retry after "CREDENTIAL_UNAVAILABLE"
    And the sync log shows "CREDENTIAL_UNAVAILABLE" for "Jane Doe"
    And "Jane Doe" is not in Salesforce
    And Salesforce has no Contact records

  @S-08
  Scenario: A member of another team cannot link a login already linked here
    Given Salesforce user "alice@acme.test" with profile "Standard User"
    And Alice has connected Salesforce user "alice@acme.test" as personal credential
    And a second team "Globex" with admin "Gina" and reps "Greg"
    When Greg connects Salesforce user "alice@acme.test" as personal credential
    Then the connection is refused with a message containing "already linked"
    And Alice's personal credential is still "alice@acme.test"
    And Greg has no personal credential
