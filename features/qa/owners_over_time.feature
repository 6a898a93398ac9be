@qa
Feature: Owners that change in Salesforce between two pushes
  A profile owner can be deactivated, frozen, brought back or cleared while the app runs; each
  push resolves the owner again.

  Background:
    Given the sales app team has admin "Ann" and reps "Alice" and "Bob"
    And Salesforce users:
      | username        | profile       |
      | alice@acme.test | Standard User |
      | carol@acme.test | Standard User |
    And team sync is connected with client credentials as "int@acme.test"
    And Bob chose Salesforce user "carol@acme.test" as profile owner

  @X-01 @S-06
  Scenario: A profile owner deactivated and reactivated owns again what is pushed next
    When Salesforce user "carol@acme.test" is deactivated
    And Bob pushes a new Contact "Jim Beam"
    Then the Salesforce Contact "Jim Beam" is owned by "int@acme.test"
    And the sync log shows "OWNER_FALLBACK" for "Jim Beam"
    When Salesforce user "carol@acme.test" is reactivated
    And Bob pushes a new Contact "Kim Deal"
    Then the Salesforce Contact "Kim Deal" is owned by "carol@acme.test"

  @X-01
  Scenario: A profile owner frozen and unfrozen owns again what is pushed next
    Given the integration permission set lets it read user logins
    When Salesforce user "carol@acme.test" is frozen
    And Bob pushes a new Contact "Jim Beam"
    Then the Salesforce Contact "Jim Beam" is owned by "int@acme.test"
    When Salesforce user "carol@acme.test" is unfrozen
    And Bob pushes a new Contact "Kim Deal"
    Then the Salesforce Contact "Kim Deal" is owned by "carol@acme.test"

  @S-06 @S-10
  Scenario: A member who clears their profile owner pushes as team sync again
    When Bob clears their profile owner
    And Bob pushes a new Account "Bike Works"
    Then the push succeeded
    And the Salesforce Account "Bike Works" is owned by "int@acme.test"
    And the sync log is empty

  @S-06 @S-10
  Scenario: A member who disconnects their login pushes with their profile owner, never as them
    Given Salesforce user "bob@acme.test" with profile "Standard User"
    And Bob has connected Salesforce user "bob@acme.test" as personal credential
    When Bob disconnects their personal credential
    And Bob pushes a new Contact "Jim Beam"
    Then the push succeeded
    And the Salesforce Contact "Jim Beam" is owned by "carol@acme.test"
    And the Salesforce Contact "Jim Beam" was created by "int@acme.test"
    And no call was made with the token of "carol@acme.test"

  @S-10
  Scenario: A profile owner who is not a user of the org is refused by the app
    When Bob picks Salesforce user "nobody@acme.test" as profile owner
    Then the profile owner choice is refused with "not an active Salesforce user"

  @X-03 @A-06
  Scenario: A person with a company pushed as a Lead keeps the owner the app chose
    Given push settings create new people as Leads
    And Salesforce assigns every new lead to "admin@acme.test"
    And Alice has connected Salesforce user "alice@acme.test" as personal credential
    And Alice has a Person "Lee Jones" at company "Globex" in the app
    When Alice pushes "Lee Jones"
    Then the push succeeded
    And "Lee Jones" is linked to a Salesforce Lead
    And the Salesforce Lead "Lee Jones" has Company "Globex"
    And the Salesforce Lead "Lee Jones" is owned by "alice@acme.test"
    And Salesforce saw the Lead write with the header "Sforce-Auto-Assign" set to "FALSE"

  @X-18 @S-06
  Scenario: Field access taken away between two pushes leaves the field as it was
    Given Alice has connected Salesforce user "alice@acme.test" as personal credential
    And Alice has a Contact "Jane Doe" in the app
    When Alice changes the title of "Jane Doe" to "CTO" and pushes it
    Then the Salesforce Contact "Jane Doe" has Title "CTO"
    When profile "Standard User" gives "read" access to Contact.Title
    And Alice changes the title of "Jane Doe" to "CEO" and pushes it
    Then the push succeeded
    And the Salesforce Contact "Jane Doe" has Title "CTO"
    And the sync log shows "FIELD_SKIPPED" for "Jane Doe"
