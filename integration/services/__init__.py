"""Use cases: connect, push, log activity, pull, outbox worker. Dependencies are passed in."""
