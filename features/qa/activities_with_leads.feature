@qa
Feature: Activities logged with people the app pushed
  Written from docs/steps.md alone: an activity is created with the member's own login when it
  works, through team sync otherwise, and it follows the person it was logged with.

  Background:
    Given the sales app team has admin "Ann" and reps "Alice" and "Bob"
    And Salesforce user "alice@acme.test" with profile "Standard User"
    And team sync is connected with client credentials as "int@acme.test"
    And Alice has connected Salesforce user "alice@acme.test" as personal credential
    And push settings create new people as Leads

  @S-07 @A-16 @A-06
  Scenario: A call logged with a Lead is a Task on that Lead, created by the member
    Given Alice has a Person "Lee Jones" at company "Globex" in the app
    And Alice pushes "Lee Jones"
    When Alice logs a call "Intro call" with "Lee Jones"
    Then the activity was written to Salesforce
    And "Lee Jones" is linked to a Salesforce Lead
    And the Salesforce Task "Intro call" has TaskSubtype "Call"
    And the Salesforce Task "Intro call" is related to WhoId "Lee Jones"
    And the Salesforce Task "Intro call" was created by "alice@acme.test"
    And the Salesforce Task "Intro call" is owned by "alice@acme.test"

  @S-07 @X-08
  Scenario: A meeting logged while the member's login needs reauthorisation goes through team sync
    Given Alice has a Person "Lee Jones" in the app
    And Alice pushes "Lee Jones"
    And the Salesforce grants of "alice@acme.test" have been revoked
    When Alice logs a meeting "Kick-off" with "Lee Jones"
    Then the activity was written to Salesforce
    And Alice's personal connection is "needs_reauth"
    And Salesforce saw the Event written with the token of "int@acme.test"
    And the Salesforce Event "Kick-off" is owned by "alice@acme.test"

  @S-07 @S-06
  Scenario: A member with no login and no profile owner logs a note through team sync
    Given Bob has a Contact "Jim Beam" in the app
    And Bob pushes "Jim Beam"
    When Bob logs a note "Likes golf" with "Jim Beam"
    Then the activity was written to Salesforce
    And the Salesforce Task "Likes golf" was created by "int@acme.test"
    And the Salesforce Task "Likes golf" is owned by "int@acme.test"

  @S-13
  Scenario: An activity type the push settings leave out is not written
    Given push settings do not log "email" activities
    And Alice has a Person "Lee Jones" in the app
    And Alice pushes "Lee Jones"
    When Alice logs an email "Hello" with "Lee Jones"
    Then Salesforce saw no Task write
    And Salesforce has no Task records
