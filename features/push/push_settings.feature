@push
Feature: What the app writes back to Salesforce
  Push settings decide which new records are created and whether new people become Leads or
  Contacts; changes to records already in Salesforce always go through. Every write is an
  upsert on the app's own id, so a retry never makes a duplicate.

  Background:
    Given the sales app team has admin "Ann" and reps "Alice" and "Bob"
    And Salesforce user "alice@acme.test" with profile "Standard User"
    And team sync is connected with client credentials as "int@acme.test"
    And Alice has connected Salesforce user "alice@acme.test" as personal credential

  @A-06 @S-13
  Scenario: New people become Leads when the push settings say so
    Given push settings create new people as Leads
    And Alice has a Person "Lee Jones" in the app
    When Alice pushes "Lee Jones"
    Then the push succeeded
    And "Lee Jones" is linked to a Salesforce Lead

  @A-06
  Scenario: New people become Contacts by default
    Given Alice has a Person "Jane Doe" in the app
    When Alice pushes "Jane Doe"
    Then "Jane Doe" is linked to a Salesforce Contact

  @S-13 @A-03
  Scenario: Push settings stop new people from being created
    Given push settings do not create new people
    And Alice has a Contact "Jane Doe" in the app
    When Alice pushes "Jane Doe"
    Then "Jane Doe" is not in Salesforce

  @A-03
  Scenario: A record already in Salesforce is updated whatever the push settings say
    Given Alice pushed a new Contact "Jane Doe"
    And push settings do not create new people
    When Alice changes the title of "Jane Doe" to "CTO" and pushes it
    Then the push succeeded
    And the Salesforce Contact "Jane Doe" has Title "CTO"

  @A-04
  Scenario: A new contact whose company is missing in Salesforce brings the company along
    Given Alice has a Contact "Kim Deal" at company "Pixies" in the app
    When Alice pushes "Kim Deal"
    Then the push succeeded
    And Salesforce has 1 Account named "Pixies"
    And the Salesforce Contact "Kim Deal" is related to AccountId "Pixies"

  @A-05
  Scenario: A contact whose company matches several accounts links to the oldest one
    Given Salesforce has these Account records:
      | Name   | CreatedDate          | OwnerId         |
      | Pixies | 2020-01-01T00:00:00Z | alice@acme.test |
      | Pixies | 2019-06-01T00:00:00Z | alice@acme.test |
    And Alice has a Contact "Kim Deal" at company "Pixies" in the app
    When Alice pushes "Kim Deal"
    Then the push succeeded
    And the Salesforce Contact "Kim Deal" belongs to the Account "Pixies" created on 2019-06-01
    And the sync log shows "ACCOUNT_CANDIDATES" for "Pixies"

  @X-27
  Scenario: A push retried after a lost answer does not duplicate the record
    Given Alice has a Contact "Jane Doe" in the app
    And Salesforce commits the next Contact write but its answer is lost
    When Alice pushes "Jane Doe"
    And 5 minutes pass
    And the sync worker runs
    Then no outbox job failed
    And Salesforce has 1 Contact named "Jane Doe"

  @X-27
  Scenario: Pushing the same record twice updates it instead of creating another
    Given Alice pushed a new Contact "Jane Doe"
    When Alice pushes "Jane Doe"
    Then the push succeeded
    And Salesforce has 1 Contact named "Jane Doe"

  @S-13 @A-04
  Scenario: With new accounts off, a contact whose company is missing comes without one
    Given push settings do not create new accounts
    And Alice has a Contact "Kim Deal" at company "Pixies" in the app
    When Alice pushes "Kim Deal"
    Then the push succeeded
    And Salesforce has 0 Account named "Pixies"
    And the Salesforce Contact "Kim Deal" has no AccountId
    And the sync log shows "ACCOUNT_NOT_CREATED" for "Kim Deal"
