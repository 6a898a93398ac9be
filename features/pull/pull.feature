@pull
Feature: Pulling Salesforce records into the app
  Pulls run through team sync. Pull settings pick the objects and filters; a pulled record's
  Salesforce owner becomes the app owner when a member linked that Salesforce user.

  Background:
    Given the sales app team has admin "Ann" and reps "Alice" and "Bob"
    And Salesforce users:
      | username        | profile       |
      | alice@acme.test | Standard User |
      | bob@acme.test   | Standard User |
    And team sync is connected with client credentials as "int@acme.test"
    And Bob has connected Salesforce user "bob@acme.test" as personal credential

  @S-11
  Scenario: A pulled record is owned in the app by the member linked to its Salesforce owner
    Given Salesforce has these Contact records:
      | FirstName | LastName | OwnerId         | CreatedById     |
      | Hank      | Scorpio  | bob@acme.test   | alice@acme.test |
      | Homer     | Simpson  | alice@acme.test | bob@acme.test   |
    When the pull runs
    Then in the app "Hank Scorpio" is owned by Bob
    And in the app "Homer Simpson" has no member owner

  @S-11
  Scenario: An owner change made in Salesforce reaches the app
    Given Alice has connected Salesforce user "alice@acme.test" as personal credential
    And Salesforce has a Contact "Hank Scorpio" owned by "bob@acme.test"
    And the pull runs
    When an admin makes "alice@acme.test" the owner of Contact "Hank Scorpio" in Salesforce
    And a minute passes
    And the pull runs
    Then in the app "Hank Scorpio" is owned by Alice

  @S-12
  Scenario: Pull settings decide which objects come in
    Given pull settings bring in Contacts and Accounts
    And Salesforce has a Contact "Hank Scorpio" owned by "bob@acme.test"
    And Salesforce has a Lead "Milton Waddams" owned by "bob@acme.test"
    When the pull runs
    Then the app has "Hank Scorpio"
    And the app does not have "Milton Waddams"

  @S-12
  Scenario: A pull filter narrows what comes in
    Given pull settings bring in Contacts where LeadSource = 'Web'
    And Salesforce has these Contact records:
      | FirstName | LastName | LeadSource | OwnerId       |
      | Web       | Visitor  | Web        | bob@acme.test |
      | Trade     | Show     | Other      | bob@acme.test |
    When the pull runs
    Then the app has "Web Visitor"
    And the app does not have "Trade Show"

  @A-09
  Scenario: A lead and a contact with the same email: only the contact comes in
    Given Salesforce has these Contact records:
      | FirstName | LastName | Email             | OwnerId       |
      | Hank      | Scorpio  | hank@globex.test  | bob@acme.test |
    And Salesforce has these Lead records:
      | FirstName | LastName | Company | Email            | OwnerId       |
      | Henry     | Scorpio  | Globex  | hank@globex.test | bob@acme.test |
      | Milton    | Waddams  | Initech | milton@ini.test  | bob@acme.test |
    When the pull runs
    Then the app has "Hank Scorpio"
    And the app does not have "Henry Scorpio"
    And the app has "Milton Waddams"

  @S-02 @S-12
  Scenario: A mapped field team sync cannot read is left out of the pull, said once
    Given the integration permission set gives "none" access to Contact.Title
    And Salesforce has a Contact "Hank Scorpio" owned by "bob@acme.test"
    When the pull runs
    And a minute passes
    And the pull runs
    Then the app has "Hank Scorpio"
    And the sync log has 1 "FIELD_NOT_READABLE" entry

  @S-01 @S-11
  Scenario: Pulls read Salesforce through team sync, never a member's login
    Given Salesforce has a Contact "Hank Scorpio" owned by "bob@acme.test"
    When the pull runs
    Then the app has "Hank Scorpio"
    And every query Salesforce saw was made with the token of "int@acme.test"

  @S-12
  Scenario: One object's pull filter applies to that object only
    Given pull settings bring in Contacts where LeadSource = 'Web', and every Lead
    And Salesforce has these Lead records:
      | FirstName | LastName | Company | LeadSource | OwnerId       |
      | Milton    | Waddams  | Initech | Other      | bob@acme.test |
    When the pull runs
    Then the app has "Milton Waddams"

  @X-28
  Scenario: A failed pull is in the sync log, and the other objects still come in
    Given Salesforce has a Contact "Hank Scorpio" owned by "bob@acme.test"
    And Salesforce answers the next query with "UNABLE_TO_LOCK_ROW"
    When the pull runs
    Then the sync log has a failed pull of Account with "UNABLE_TO_LOCK_ROW"
    And the app has "Hank Scorpio"
