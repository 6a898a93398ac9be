"""``make bench``: throughput and setup-time figures of the mock, side by side in one run.

Each section is a module with ``run(ctx) -> list[Figure]``; ``SECTIONS`` in ``__main__`` lists
them, so SOQL or behaviour-suite sections are added as new modules.
"""
