@permissions
Feature: Field-level security of the acting user
  A mapped field the acting user may not edit is left out of the write and reported; the app
  never borrows the team sync login to get around a member's field security. Missing object
  access fails the write with Salesforce's own error.

  Background:
    Given the sales app team has admin "Ann" and reps "Alice" and "Bob"
    And Salesforce user "alice@acme.test" with profile "Standard User"
    And team sync is connected with client credentials as "int@acme.test"
    And Alice has connected Salesforce user "alice@acme.test" as personal credential

  @X-18
  Scenario: A field the member cannot edit is skipped and reported, not written through team sync
    Given Alice pushed a new Contact "Jane Doe"
    And profile "Standard User" gives "read" access to Contact.Title
    When Alice changes the title of "Jane Doe" to "CTO" and pushes it
    Then the push succeeded
    And the Salesforce Contact "Jane Doe" has no Title
    And the sync log shows "FIELD_SKIPPED" for "Jane Doe"
    And Salesforce saw the Contact written with the token of "alice@acme.test"
    And the Salesforce Contact "Jane Doe" was last modified by "alice@acme.test"

  @X-18 @X-28
  Scenario: A member without edit access to an object gets Salesforce's refusal in the sync log
    Given profile "Standard User" gives "Read" on Account
    When Alice pushes a new Account "Acme Rockets"
    Then the push failed with "INSUFFICIENT_ACCESS_OR_READONLY"
    And the sync log shows "INSUFFICIENT_ACCESS_OR_READONLY" for "Acme Rockets"
    And "Acme Rockets" is not in Salesforce

  @X-18 @X-08
  Scenario: While a member's login needs re-authorisation, team sync still skips their fields
    Given profile "Standard User" gives "read" access to Contact.Title
    And Alice pushed a new Contact "Jane Doe"
    And the Salesforce grants of "alice@acme.test" have been revoked
    When Alice changes the title of "Jane Doe" to "CTO" and pushes it
    Then the push succeeded
    And Alice's personal connection is "needs_reauth"
    And the Salesforce Contact "Jane Doe" has no Title
    And the Salesforce Contact "Jane Doe" was last modified by "int@acme.test"
    And the sync log shows "FIELD_SKIPPED" for "Jane Doe"

  @X-18 @S-14
  Scenario: A rep who cannot edit a Lead's Title still pushes the lead, without it
    Given profile "Standard User" gives "read" access to Lead.Title
    And Alice has a Lead "Lee Jones" in the app
    When Alice changes the title of "Lee Jones" to "CTO" and pushes it
    Then the push succeeded
    And the Salesforce Lead "Lee Jones" has no Title
    And the sync log shows "FIELD_SKIPPED" for "Lee Jones"
