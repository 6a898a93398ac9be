"""The mutant catalogue covers every rule and still applies to the tree."""

from __future__ import annotations

from collections import Counter

from tests.bdd.rules import rules
from tests.mutants.runner import load, patched_text


def test_every_rule_has_its_mutants_tier_one_at_least_two() -> None:
    counts = Counter(m.rule for m in load())
    missing = {
        rule: counts[rule] for rule in rules() if counts[rule] < (2 if rule.startswith("S-") else 1)
    }
    assert not missing, f"rules without enough mutants (rule: count): {missing}"


def test_every_mutant_names_a_known_rule_and_is_named_after_it() -> None:
    known = set(rules())
    wrong = [m.name for m in load() if m.rule not in known or not m.name.startswith(m.rule)]
    assert not wrong, f"mutants with an unknown rule or a name not starting with it: {wrong}"


def test_every_mutant_still_applies_once() -> None:
    for mutant in load():
        text = patched_text(mutant)
        assert text, f"{mutant.name}: patched {mutant.file} is empty"
