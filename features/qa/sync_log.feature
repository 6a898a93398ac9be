@qa
Feature: What the sync log tells about a push that kept failing
  A push that meets a retryable error is tried again with back-off; when the attempts are
  spent, the sync log says what failed, as whom, how often and whether a retry could help.

  Background:
    Given the sales app team has admin "Ann" and reps "Alice" and "Bob"
    And Salesforce user "alice@acme.test" with profile "Standard User"
    And team sync is connected with client credentials as "int@acme.test"
    And Alice has connected Salesforce user "alice@acme.test" as personal credential

  @X-21 @X-28
  Scenario: A lock that never clears ends in the sync log after every attempt
    Given Salesforce answers the next 5 Contact writes with "UNABLE_TO_LOCK_ROW"
    When Alice pushes a new Contact "Jane Doe"
    Then the push is waiting to retry after "UNABLE_TO_LOCK_ROW"
    When the sync worker runs until nothing is due
    Then the push failed with "UNABLE_TO_LOCK_ROW"
    And the sync log entry for "Jane Doe" has errorCode "UNABLE_TO_LOCK_ROW"
    And the sync log entry for "Jane Doe" has retryable "yes"
    And the sync log entry for "Jane Doe" has attempts "5"
    And the sync log entry for "Jane Doe" has acting user "alice@acme.test"
    And the sync log entry for "Jane Doe" has direction "push"

  @X-21 @X-27
  Scenario: A lock that clears before the attempts are spent ends in one contact
    Given Salesforce answers the next 2 Contact writes with "UNABLE_TO_LOCK_ROW"
    When Bob pushes a new Contact "Jim Beam"
    And the sync worker runs until nothing is due
    Then the push succeeded
    And Salesforce has 1 Contact named "Jim Beam"

  @X-21 @X-28
  Scenario: A push made during an outage goes out once Salesforce is back
    Given Salesforce answers every call with "SERVER_UNAVAILABLE"
    And Bob pushed a new Contact "Jim Beam"
    And Salesforce recovers
    And a minute passes
    When the sync worker runs
    Then the push succeeded
    And Salesforce has 1 Contact named "Jim Beam"

  @X-16
  Scenario: A spent daily API allocation pauses team sync and keeps the push
    Given the org allows 5 API calls a day
    When Bob pushes a new Contact "Jim Beam"
    Then the team sync connection is "paused_quota"
    And the push is waiting to retry after "REQUEST_LIMIT_EXCEEDED"
    And "Jim Beam" is not in Salesforce

  @X-21
  Scenario: A push retried after its back-off is written once
    Given Salesforce answers the next Contact write with "UNABLE_TO_LOCK_ROW"
    And Bob pushed a new Contact "Jim Beam"
    And 2 minutes pass
    When the sync worker runs
    Then the push succeeded
    And Salesforce has 1 Contact named "Jim Beam"
