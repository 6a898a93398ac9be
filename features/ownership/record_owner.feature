@ownership
Feature: Who owns what a member pushes
  A pushed Contact, Lead or Account is owned by the member's own Salesforce user when they have
  linked one, otherwise by the Salesforce user they picked in their profile, otherwise by the
  team sync user. CreatedById always shows whose token made the call.

  Background:
    Given the sales app team has admin "Ann" and reps "Alice", "Bob" and "Carol"
    And Salesforce users:
      | username        | profile       |
      | alice@acme.test | Standard User |
      | bob@acme.test   | Standard User |
      | carol@acme.test | Standard User |
    And team sync is connected with client credentials as "int@acme.test"
    And Alice has connected Salesforce user "alice@acme.test" as personal credential
    And Alice chose Salesforce user "bob@acme.test" as profile owner
    And Bob chose Salesforce user "carol@acme.test" as profile owner

  @S-06 @S-14
  Scenario Outline: The owner is the member's login, else their profile owner, else team sync
    When <member> pushes a new <object> "<name>"
    Then the push succeeded
    And the Salesforce <object> "<name>" is owned by "<owner>"
    And the Salesforce <object> "<name>" was created by "<creator>"

    Examples:
      | member | object  | name         | owner           | creator         |
      | Alice  | Contact | Jane Doe     | alice@acme.test | alice@acme.test |
      | Alice  | Lead    | Lee Jones    | alice@acme.test | alice@acme.test |
      | Alice  | Account | Acme Rockets | alice@acme.test | alice@acme.test |
      | Bob    | Contact | Jim Beam     | carol@acme.test | int@acme.test   |
      | Bob    | Lead    | Lou Reed     | carol@acme.test | int@acme.test   |
      | Bob    | Account | Bike Works   | carol@acme.test | int@acme.test   |
      | Carol  | Contact | Kim Deal     | int@acme.test   | int@acme.test   |
      | Carol  | Lead    | Kurt Vile    | int@acme.test   | int@acme.test   |
      | Carol  | Account | Carol Corp   | int@acme.test   | int@acme.test   |

  @S-10
  Scenario: A profile owner changes only the owner, never the creator
    When Bob pushes a new Contact "Jim Beam"
    Then the Salesforce Contact "Jim Beam" is owned by "carol@acme.test"
    And the Salesforce Contact "Jim Beam" was created by "int@acme.test"
    And Salesforce saw the Contact written with the token of "int@acme.test"

  @S-10 @X-01
  Scenario: Only an active Salesforce user of the team's org can be picked as profile owner
    Given Salesforce user "carol@acme.test" is deactivated
    When Bob picks Salesforce user "carol@acme.test" as profile owner
    Then the profile owner choice is refused with "not an active Salesforce user"

  @X-01
  Scenario: An inactive profile owner falls back to team sync, with a warning
    Given Salesforce user "carol@acme.test" is deactivated
    When Bob pushes a new Contact "Jim Beam"
    Then the push succeeded
    And the Salesforce Contact "Jim Beam" is owned by "int@acme.test"
    And the sync log shows "OWNER_FALLBACK" for "Jim Beam"

  @X-01
  Scenario: A profile owner whose lookup is refused is not assumed active
    Given Salesforce refuses the next call made as "int@acme.test" with "INSUFFICIENT_ACCESS_OR_READONLY"
    When Bob pushes a new Contact "Jim Beam"
    Then the push succeeded
    And the Salesforce Contact "Jim Beam" is owned by "int@acme.test"
    And the sync log shows "OWNER_FALLBACK" for "Jim Beam"

  @X-01
  Scenario: A frozen profile owner falls back to team sync when team sync can see it
    Given the integration permission set lets it read user logins
    And Salesforce user "carol@acme.test" is frozen
    When Bob pushes a new Contact "Jim Beam"
    Then the push succeeded
    And the Salesforce Contact "Jim Beam" is owned by "int@acme.test"
    And the sync log says "inactive or frozen"

  @X-03
  Scenario: Lead assignment rules do not override the owner the app chose
    Given Salesforce assigns every new lead to "admin@acme.test"
    When Alice pushes a new Lead "Lee Jones"
    Then the Salesforce Lead "Lee Jones" is owned by "alice@acme.test"

  @X-04 @X-03
  Scenario: Updating a lead keeps its owner even with an active lead assignment rule
    Given Salesforce assigns every new lead to "admin@acme.test"
    And Alice pushed a new Lead "Lee Jones"
    When Alice changes the title of "Lee Jones" to "CTO" and pushes it
    Then the push succeeded
    And the Salesforce Lead "Lee Jones" has Title "CTO"
    And the Salesforce Lead "Lee Jones" is owned by "alice@acme.test"

  @X-04
  Scenario: Updating a record keeps its owner
    Given Alice pushed a new Contact "Jane Doe"
    When Carol changes the title of "Jane Doe" to "CTO" and pushes it
    Then the push succeeded
    And the Salesforce Contact "Jane Doe" has Title "CTO"
    And the Salesforce Contact "Jane Doe" is owned by "alice@acme.test"
    And the Salesforce Contact "Jane Doe" was last modified by "int@acme.test"

  @X-04 @S-11
  Scenario: An owner change made in the app reaches Salesforce
    Given Bob has connected Salesforce user "bob@acme.test" as personal credential
    And Alice pushed a new Contact "Jane Doe"
    When Alice makes Bob the owner of "Jane Doe" in the app
    Then the push succeeded
    And the Salesforce Contact "Jane Doe" is owned by "bob@acme.test"

  @X-08
  Scenario: A member whose login needs re-authorisation still owns what they push
    Given the Salesforce grants of "alice@acme.test" have been revoked
    When Alice pushes a new Contact "Jane Doe"
    Then the push succeeded
    And Alice's personal connection is "needs_reauth"
    And the Salesforce Contact "Jane Doe" is owned by "alice@acme.test"
    And the Salesforce Contact "Jane Doe" was created by "int@acme.test"

  @X-01 @S-06 @S-11
  Scenario: Handing a record to a member whose Salesforce user was deactivated falls back
    Given Bob has connected Salesforce user "bob@acme.test" as personal credential
    And Alice pushed a new Contact "Jane Doe"
    And Salesforce user "bob@acme.test" is deactivated
    When Alice makes Bob the owner of "Jane Doe" in the app
    Then the push succeeded
    And the Salesforce Contact "Jane Doe" is owned by "carol@acme.test"
    And the sync log shows "OWNER_FALLBACK" for "Jane Doe"

  @X-01 @S-02
  Scenario: A team sync user that cannot read user logins cannot see frozen owners
    Given the integration permission set cannot read user logins
    When Ann connects team sync with client credentials
    Then the preflight reports "User: cannot read UserLogin: frozen owners cannot be detected"
    And the team sync connection is "degraded"

  @S-10
  Scenario: A member never acts with the login their profile owner linked
    Given Carol chose Salesforce user "alice@acme.test" as profile owner
    When Carol pushes a new Contact "Kim Deal"
    Then the Salesforce Contact "Kim Deal" is owned by "alice@acme.test"
    And the Salesforce Contact "Kim Deal" was created by "int@acme.test"

  @S-06 @S-11
  Scenario: Handing a record to a member with neither a login nor a profile owner
    Given Alice pushed a new Contact "Jane Doe"
    When Alice makes Carol the owner of "Jane Doe" in the app
    Then the push succeeded
    And the Salesforce Contact "Jane Doe" is owned by "int@acme.test"
