"""``project/`` is the fresh project's own test folder: it runs inside that project only."""

collect_ignore = ["project"]
