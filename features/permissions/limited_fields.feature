@permissions
Feature: Pushing with limited field access

  Background:
    Given the sales app team has admin "Ann" and reps "Alice" and "Bob"
    And Salesforce user "alice@acme.test" with profile "Standard User"
    And team sync is connected with client credentials as "int@acme.test"
    And Alice has connected Salesforce user "alice@acme.test" as personal credential

  @X-18 @S-06
  Scenario: A rep who cannot edit Title still owns the contact they push
    Given profile "Standard User" gives "read" access to Contact.Title
    And Alice has a Contact "Jane Doe" in the app
    When Alice changes the title of "Jane Doe" to "CTO" and pushes it
    Then the push succeeded
    And the Salesforce Contact "Jane Doe" has no Title
    And the Salesforce Contact "Jane Doe" is owned by "alice@acme.test"
    And the sync log shows "FIELD_SKIPPED" for "Jane Doe"
