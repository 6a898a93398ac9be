@activities
Feature: Activities logged in Salesforce
  Emails, calls, tasks, notes and meetings a member logs become Tasks and Events. They are
  created with the member's own login when linked, so the member is their creator; otherwise
  through team sync. Their Assigned To follows the owner rule.

  Background:
    Given the sales app team has admin "Ann" and reps "Alice" and "Bob"
    And Salesforce users:
      | username        | profile       |
      | alice@acme.test | Standard User |
      | bob@acme.test   | Standard User |
    And team sync is connected with client credentials as "int@acme.test"
    And Alice has connected Salesforce user "alice@acme.test" as personal credential
    And Alice pushed a new Contact "Jane Doe"

  @S-07
  Scenario: An activity logged by a member with their own login is created by them
    When Alice logs a call "Intro call" with "Jane Doe"
    Then the activity was written to Salesforce
    And the Salesforce Task "Intro call" was created by "alice@acme.test"
    And the Salesforce Task "Intro call" is owned by "alice@acme.test"

  @S-07
  Scenario: An activity logged by a member without a login goes through team sync
    Given Bob chose Salesforce user "bob@acme.test" as profile owner
    When Bob logs a task "Send proposal" with "Jane Doe"
    Then the activity was written to Salesforce
    And the Salesforce Task "Send proposal" was created by "int@acme.test"
    And the Salesforce Task "Send proposal" is owned by "bob@acme.test"

  @A-16
  Scenario Outline: Each kind of activity becomes the right Salesforce record
    When Alice logs <article> <kind> "<subject>" with "Jane Doe"
    Then the activity was written to Salesforce
    And the Salesforce <object> "<shown as>" is related to WhoId "Jane Doe"
    And the Salesforce <object> "<shown as>" has <field> "<value>"

    Examples:
      | article | kind    | subject           | object | shown as                 | field         | value     |
      | an      | email   | Pricing follow-up | Task   | Email: Pricing follow-up | TaskSubtype   | Email     |
      | an      | email   | Hello again       | Task   | Email: Hello again       | Status        | Completed |
      | a       | call    | Intro call        | Task   | Intro call               | TaskSubtype   | Call      |
      | a       | task    | Send proposal     | Task   | Send proposal            | TaskSubtype   | Task      |
      | a       | note    | Met at the fair   | Task   | Met at the fair          | TaskSubtype   | Task      |
      | a       | meeting | Quarterly review  | Event  | Quarterly review         | IsAllDayEvent | false     |

  @A-16
  Scenario: An activity with a contact at a company is related to that account
    Given Alice has a Contact "Kim Deal" at company "Pixies" in the app
    And Alice pushes "Kim Deal"
    When Alice logs a call "Catch up" with "Kim Deal"
    Then the Salesforce Task "Catch up" is related to WhatId "Pixies"

  @S-13
  Scenario: An activity type the push settings leave out is not written
    Given push settings do not log "note" activities
    When Alice logs a note "Private thoughts" with "Jane Doe"
    Then Salesforce saw no Task write
    And Salesforce has 0 Task named "Private thoughts"

  @S-07
  Scenario: An activity whose person is not in Salesforce yet waits for the person
    Given Alice has a Contact "Kim Deal" in the app
    When Alice logs an email "First touch" with "Kim Deal"
    Then the activity waits for its person to be pushed
    When Alice pushes "Kim Deal"
    Then the Salesforce Task "Email: First touch" is related to WhoId "Kim Deal"

  @X-01 @S-07
  Scenario: An activity whose profile owner is inactive goes to team sync, with a warning
    Given Bob chose Salesforce user "bob@acme.test" as profile owner
    And Salesforce user "bob@acme.test" is deactivated
    When Bob logs a task "Send proposal" with "Jane Doe"
    Then the activity was written to Salesforce
    And the Salesforce Task "Send proposal" is owned by "int@acme.test"
    And the sync log warns "OWNER_FALLBACK" about the activity "Send proposal"

  @X-27 @A-16
  Scenario: An activity retried after a lost answer is written once, with its subtype
    Given Salesforce commits the next Task write but its answer is lost
    When Alice logs a call "Intro call" with "Jane Doe"
    And 5 minutes pass
    And the sync worker runs
    Then no outbox job failed
    And Salesforce has 1 Task named "Intro call"
    And the Salesforce Task "Intro call" has TaskSubtype "Call"
