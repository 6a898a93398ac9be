@credentials
Feature: Personal Salesforce credentials
  A member may link their own Salesforce login. What they push is then owned by them and what
  they log is created by them. A login belongs to one member only, and integration-only
  accounts cannot be linked through the interactive flow.

  Background:
    Given the sales app team has admin "Ann" and reps "Alice", "Bob" and "Carol"
    And Salesforce users:
      | username        | profile        |
      | alice@acme.test | Standard User  |
      | bob@acme.test   | Standard User  |
    And team sync is connected with client credentials as "int@acme.test"

  @S-05
  Scenario: A member links their own login through OAuth and pushes with it
    When Alice connects Salesforce user "alice@acme.test" as personal credential
    Then the personal credential is connected
    When Alice pushes a new Contact "Jane Doe"
    Then the push succeeded
    And Salesforce saw the Contact written with the token of "alice@acme.test"
    And the Salesforce Contact "Jane Doe" was created by "alice@acme.test"

  @S-08
  Scenario: Nobody may link a login another member already uses
    Given Alice has connected Salesforce user "alice@acme.test" as personal credential
    When Bob connects Salesforce user "alice@acme.test" as personal credential
    Then the connection is refused with a message containing "already linked"
    And Bob has no personal credential
    And Alice's personal credential is still "alice@acme.test"
    When Alice pushes a new Contact "Jane Doe"
    Then the push succeeded
    And the Salesforce Contact "Jane Doe" was created by "alice@acme.test"

  @S-08
  Scenario: Nobody may link the team sync user as a personal login
    Given the connected app pre-authorizes profile "System Administrator"
    And team sync is connected with a JWT as "admin@acme.test"
    When Carol connects Salesforce user "admin@acme.test" as personal credential
    Then the connection is refused with a message containing "is the team sync user"
    And Carol has no personal credential

  @S-09
  Scenario: An integration-only account cannot be linked as a personal login
    When Carol connects Salesforce user "int@acme.test" as personal credential
    Then Salesforce shows the page "Access Restricted for API Only Users" and never calls the app back
    And Carol has no personal credential

  @S-09
  Scenario: A shared integration account that gets past the login page is refused by the app
    Given Salesforce user "sync@acme.test" with profile "System Administrator"
    And the team marks profile "System Administrator" as an integration profile
    When Carol connects Salesforce user "sync@acme.test" as personal credential
    Then the connection is refused with a message containing "shared or integration-only account"
    And Carol has no personal credential
    And the app holds no credential for Salesforce user "sync@acme.test"

  @S-09
  Scenario: A member who declines on the consent page is told and nothing is stored
    When Alice denies access while connecting Salesforce user "alice@acme.test"
    Then the OAuth error is "access_denied"
    And the connection is refused with a message containing "declined"
    And Alice has no personal credential

  @S-09
  Scenario: A member the Salesforce admin has not approved gets the OAuth error
    Given the connected app pre-authorizes profile "System Administrator"
    When Alice connects Salesforce user "alice@acme.test" as personal credential
    Then the OAuth error is "OAUTH_APP_ACCESS_DENIED"
    And the connection is refused with a message containing "not approved"
    And Alice has no personal credential

  @S-05
  Scenario: The interactive flow uses PKCE, as an app that requires it demands
    Given the connected app requires PKCE
    When Alice connects Salesforce user "alice@acme.test" as personal credential
    Then the personal credential is connected

  @S-05
  Scenario: An OAuth callback is used once
    When Alice connects Salesforce user "alice@acme.test" as personal credential
    Then the personal credential is connected
    When the same OAuth callback reaches the app again
    Then the replayed callback is refused as "invalid_state"

  @S-05
  Scenario: A connect attempt left for more than 30 minutes expires
    When Alice comes back from connecting Salesforce user "alice@acme.test" 31 minutes later
    Then the connection is refused with a message containing "expired"
    And Alice has no personal credential
