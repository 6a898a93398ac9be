@credentials
Feature: The team sync credential
  Team sync is the team's main Salesforce connection. Whatever no member's own login covers
  goes through it, so its user must be able to read and write everything the app syncs. A
  dedicated integration user is the recommended choice.

  Background:
    Given the sales app team has admin "Ann" and reps "Alice" and "Bob"
    And Salesforce user "alice@acme.test" with profile "Standard User"

  @S-01 @S-04
  Scenario: A member without a personal login pushes through team sync
    Given team sync is connected with client credentials as "int@acme.test"
    When Alice pushes a new Contact "Jane Doe"
    Then the push succeeded
    And the Salesforce Contact "Jane Doe" was created by "int@acme.test"
    And Salesforce saw the Contact written with the token of "int@acme.test"
    And the sync log is empty

  @S-02
  Scenario: A dedicated integration user with every permission passes the preflight
    When Ann connects team sync with client credentials
    Then the team sync connection is "connected"
    And the preflight reports no gap
    And no advisory is given

  @S-02
  Scenario: A team sync user who cannot edit a mapped field leaves the sync degraded
    Given the integration permission set gives "read" access to Contact.Title
    When Ann connects team sync with client credentials
    Then the team sync connection is "degraded"
    And the preflight reports "Contact.Title: no edit permission"

  @S-02
  Scenario: A team sync user who cannot write an object is reported by object
    Given the integration permission set gives "Read" on Lead
    When Ann connects team sync with client credentials
    Then the team sync connection is "degraded"
    And the preflight reports "Lead: no create permission"
    And the preflight reports "Lead: no edit permission"

  @S-04
  Scenario: A team sync user without View All on pulled objects leaves the sync degraded
    Given the integration permission set gives "Read, Create, Edit" on Account
    When Ann connects team sync with client credentials
    Then the team sync connection is "degraded"
    And the preflight reports "Account: no View All permission (pull limited by sharing)"

  @S-04
  Scenario: A team sync user without API access leaves the sync degraded
    Given team sync is connected with client credentials as "int@acme.test"
    And the integration user has no "ApiEnabled" permission
    Then the preflight reports "User: API_CURRENTLY_DISABLED: API is disabled for this User"
    And the team sync connection is "degraded"

  @S-03
  Scenario: Choosing a person's everyday login as team sync is allowed with an advisory
    Given Alice has connected Salesforce user "alice@acme.test" as personal credential
    When Ann makes Alice's Salesforce login the team sync credential
    Then the team sync credential is "alice@acme.test"
    And Ann is advised "dedicated integration user"

  @S-04
  Scenario: Only a Salesforce login that is already connected can become team sync
    When Ann makes Bob's Salesforce login the team sync credential
    Then the team sync choice is refused with "has not connected a Salesforce account"

  @S-04 @S-01
  Scenario: Team sync connected by JWT bearer acts as that integration user
    Given the connected app pre-authorizes the "Sales_Sync" permission set
    And team sync is connected with a JWT as "int@acme.test"
    When Alice pushes a new Lead "Lee Jones"
    Then the push succeeded
    And the Salesforce Lead "Lee Jones" was created by "int@acme.test"

  @S-03
  Scenario: Any person's login chosen as team sync gets the advisory
    Given the connected app pre-authorizes profile "System Administrator"
    When Ann connects team sync with a JWT as "admin@acme.test"
    Then Ann is advised "dedicated integration user"

  @S-03
  Scenario: A login of a profile the team marks as integration gets no advisory
    Given the connected app pre-authorizes profile "System Administrator"
    And the team marks profile "System Administrator" as an integration profile
    When Ann connects team sync with a JWT as "admin@acme.test"
    Then no advisory is given

  @S-02 @X-29
  Scenario: Losing object access at runtime degrades team sync at once
    Given team sync is connected with client credentials as "int@acme.test"
    When the integration permission set gives "Read" on Contact
    And Bob pushes a new Contact "Jane Doe"
    Then the push failed with "INSUFFICIENT_ACCESS_OR_READONLY"
    And the team sync connection is degraded because "INSUFFICIENT_ACCESS_OR_READONLY"

  @S-01 @X-13
  Scenario: Client credentials are asked for at the org's own host, not the login host
    When Ann connects team sync with client credentials
    Then the team sync connection is "connected"
    And client credentials were only asked for at the org's own host

  @S-02
  Scenario: An object team sync cannot read at all is reported by object
    Given the integration permission set gives "none" on Lead
    When Ann connects team sync with client credentials
    Then the team sync connection is "degraded"
    And the preflight reports "Lead: no read permission"

  @S-01
  Scenario: A degraded team sync still carries the pushes of members without a login
    Given the integration permission set gives "Read, Create, Edit" on Account
    And team sync is connected with client credentials as "int@acme.test"
    When Bob pushes a new Contact "Jane Doe"
    Then the team sync connection is "degraded"
    And the push succeeded
    And the Salesforce Contact "Jane Doe" was created by "int@acme.test"

  @S-04
  Scenario: A login its member disconnected cannot become team sync
    Given Alice has connected Salesforce user "alice@acme.test" as personal credential
    When Alice disconnects their personal credential
    And Ann makes Alice's Salesforce login the team sync credential
    Then the team sync choice is refused with "has not connected a Salesforce account"

  @X-07
  Scenario: Admins are told once that team sync needs reconnecting
    Given Alice has connected Salesforce user "alice@acme.test" as personal credential
    When Ann makes Alice's Salesforce login the team sync credential
    And the Salesforce grants of "alice@acme.test" are revoked
    And Alice pushes a new Contact "Jane Doe"
    And Alice disconnects their personal credential
    Then the team sync connection is "needs_reauth"
    And Ann is notified "reconnect" 1 time
