"""The core's tables."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS teams (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, external_id_field TEXT NOT NULL,
  push_settings TEXT, pull_settings TEXT, integration_profiles TEXT);
CREATE TABLE IF NOT EXISTS members (
  id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL REFERENCES teams(id), name TEXT NOT NULL,
  email TEXT NOT NULL, role TEXT NOT NULL, profile_owner_id TEXT);
CREATE TABLE IF NOT EXISTS member_field_access (
  member_id INTEGER NOT NULL, sobject TEXT NOT NULL, createable TEXT NOT NULL,
  updateable TEXT NOT NULL, PRIMARY KEY (member_id, sobject));
CREATE TABLE IF NOT EXISTS field_mappings (
  team_id INTEGER NOT NULL, sobject TEXT NOT NULL, mapping TEXT NOT NULL,
  PRIMARY KEY (team_id, sobject));
CREATE TABLE IF NOT EXISTS credentials (
  id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL, member_id INTEGER, kind TEXT NOT NULL,
  auth_method TEXT NOT NULL, status TEXT NOT NULL, status_reason TEXT NOT NULL DEFAULT '',
  org_id TEXT NOT NULL, sf_user_id TEXT NOT NULL, username TEXT NOT NULL,
  instance_url TEXT NOT NULL, identity_url TEXT NOT NULL,
  access_token TEXT, refresh_token TEXT, token_version INTEGER NOT NULL DEFAULT 0,
  source_member_id INTEGER, paused_until TEXT, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS oauth_states (
  state TEXT PRIMARY KEY, team_id INTEGER NOT NULL, member_id INTEGER NOT NULL,
  code_verifier TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS connection_events (
  id INTEGER PRIMARY KEY, credential_id INTEGER NOT NULL, event TEXT NOT NULL,
  from_status TEXT, to_status TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notifications (
  id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL, kind TEXT NOT NULL,
  message TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS app_records (
  id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL, app_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL, preferred_sobject TEXT, owner_member_id INTEGER,
  owner_sf_user_id TEXT, company_app_id TEXT, fields TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS links (
  team_id INTEGER NOT NULL, app_id TEXT NOT NULL, sobject TEXT NOT NULL, sf_id TEXT NOT NULL,
  PRIMARY KEY (team_id, app_id), UNIQUE (team_id, sf_id));
CREATE TABLE IF NOT EXISTS activities (
  id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL, app_id TEXT NOT NULL UNIQUE,
  member_id INTEGER NOT NULL, kind TEXT NOT NULL, person_app_id TEXT NOT NULL,
  subject TEXT NOT NULL, body TEXT NOT NULL, occurred_at TEXT NOT NULL,
  duration_minutes INTEGER NOT NULL, sobject TEXT, sf_id TEXT);
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL, job TEXT NOT NULL,
  subject_app_id TEXT NOT NULL, member_id INTEGER NOT NULL, argument TEXT,
  waits_for_app_id TEXT, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL, last_error TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sync_log (
  id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL, level TEXT NOT NULL, sobject TEXT NOT NULL,
  record TEXT NOT NULL, direction TEXT NOT NULL, acting_credential_id INTEGER,
  error_code TEXT NOT NULL, message TEXT NOT NULL, retryable INTEGER NOT NULL,
  attempts INTEGER NOT NULL, outbox_id INTEGER, resolved INTEGER NOT NULL DEFAULT 0,
  at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pull_marks (
  team_id INTEGER NOT NULL, sobject TEXT NOT NULL, last_modstamp TEXT NOT NULL,
  PRIMARY KEY (team_id, sobject));
"""
