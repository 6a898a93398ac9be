"""Pure rules of the integration: who acts, who owns, what syncs. No I/O."""
