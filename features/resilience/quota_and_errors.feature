@resilience
Feature: Quotas, locks and the sync log
  Salesforce throttles and locks. The app pauses on quota, retries locks and server errors
  with back-off, logs what fails for good, and can resync it. Nothing is lost.

  Background:
    Given the sales app team has admin "Ann" and reps "Alice" and "Bob"
    And team sync is connected with client credentials as "int@acme.test"

  @X-16 @X-29
  Scenario: A request limit pauses the connection instead of failing it
    Given Salesforce answers every call with "REQUEST_LIMIT_EXCEEDED"
    When Bob pushes a new Contact "Jane Doe"
    Then the team sync connection is "paused_quota"
    And "Jane Doe" is not in Salesforce
    When Salesforce recovers
    And 20 minutes pass
    And the sync worker runs
    Then the Salesforce Contact "Jane Doe" was created by "int@acme.test"
    And the team sync connection is "connected"
    And the connection events of team sync are "paused_quota", "connected"

  @X-21
  Scenario: A locked row is retried with back-off and nothing is lost
    Given Salesforce answers the next 2 Contact writes with "UNABLE_TO_LOCK_ROW"
    When Bob pushes a new Contact "Jane Doe"
    Then "Jane Doe" is not in Salesforce
    When 1 minutes pass
    And the sync worker runs
    And 5 minutes pass
    And the sync worker runs
    Then Salesforce has 1 Contact named "Jane Doe"

  @X-28
  Scenario: A permanent failure is logged with what a person needs to fix it, and can be resynced
    Given the integration permission set gives "Read" on Contact
    When Bob pushes a new Contact "Jane Doe"
    Then the push failed with "INSUFFICIENT_ACCESS_OR_READONLY"
    And the sync log entry for "Jane Doe" names the object, the direction and the acting user
    When the integration permission set gives "Read, Create, Edit, ViewAllRecords" on Contact
    And an admin resyncs the failed push of "Jane Doe"
    Then Salesforce has 1 Contact named "Jane Doe"
    And the sync log entry for "Jane Doe" is resolved
