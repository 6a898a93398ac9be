@qa
Feature: Records pulled from Salesforce, then edited in the app
  A pulled record carries its Salesforce fields into the app and is owned by the member whose
  login owns it in Salesforce; matching is by user id, never by name or email.

  Background:
    Given the sales app team has admin "Ann" and reps "Bob"
    And Salesforce user "bob@acme.test" with profile "Standard User"
    And Salesforce user "robert@acme.test" with profile "Standard User" and email "bob@app.example"
    And Salesforce user "bobby@acme.test" named "Bob Rep"
    And team sync is connected with client credentials as "int@acme.test"
    And Bob has connected Salesforce user "bob@acme.test" as personal credential
    And pull settings bring in Contacts
    And Salesforce has these Contact records:
      | FirstName | LastName | Title   | OwnerId          |
      | Hank      | Scorpio  | CEO     | bob@acme.test    |
      | Milton    | Waddams  | Clerk   | robert@acme.test |
      | Bill      | Lumbergh | VP      | bobby@acme.test  |

  @S-11 @S-12
  Scenario: A pulled contact brings its fields and its owner into the app
    When the pull runs
    Then the app has "Hank Scorpio"
    And in the app "Hank Scorpio" has title "CEO"
    And in the app "Hank Scorpio" is owned by Bob

  @S-11
  Scenario: An owner with the member's email or name is not taken for the member
    When the pull runs
    Then in the app "Milton Waddams" has no member owner
    And in the app "Bill Lumbergh" has no member owner

  @X-04 @S-05
  Scenario: Editing a pulled contact pushes the change and keeps its Salesforce owner
    Given the pull runs
    When Bob changes the title of "Hank Scorpio" to "CTO" and pushes it
    Then the push succeeded
    And the Salesforce Contact "Hank Scorpio" has Title "CTO"
    And the Salesforce Contact "Hank Scorpio" is owned by "bob@acme.test"
    And the Salesforce Contact "Hank Scorpio" was last modified by "bob@acme.test"
    And Salesforce saw the Contact write without the header "Sforce-Auto-Assign"

  @S-11
  Scenario: An owner changed in Salesforce before the pull is the owner in the app
    Given an admin makes "bob@acme.test" the owner of Contact "Milton Waddams" in Salesforce
    When the pull runs
    Then in the app "Milton Waddams" is owned by Bob

  @S-04 @S-12
  Scenario: Private contacts are still pulled, since team sync can view all of them
    Given Contact records are private in Salesforce
    When the pull runs
    Then the app has "Bill Lumbergh"
    And in the app "Bill Lumbergh" has title "VP"
