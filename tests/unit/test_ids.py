from __future__ import annotations

import pytest

from mock_salesforce import ids

# Real example ids and their 18-character forms (REST API guide, public tools).
KNOWN = [
    ("001D000000IqhSL", "001D000000IqhSLIAZ"),
    ("00558000001N0Ke", "00558000001N0KeAAK"),
    ("00Dx0000000BV7z", "00Dx0000000BV7zEAG"),
    ("001xx000003DGb2", "001xx000003DGb2AAG"),
]


@pytest.mark.parametrize(("id15", "id18"), KNOWN)
def test_to18_matches_salesforce_checksum_for_real_ids(id15: str, id18: str) -> None:
    assert ids.to18(id15) == id18, f"to18({id15}) gave {ids.to18(id15)}"


@pytest.mark.parametrize(("id15", "id18"), KNOWN)
def test_normalize_accepts_15_and_18_and_case_folded_suffix(id15: str, id18: str) -> None:
    assert ids.normalize(id15) == id18
    assert ids.normalize(id18) == id18
    assert ids.normalize(id18[:15] + id18[15:].lower()) == id18


@pytest.mark.parametrize("bad", ["", "001", "001D000000IqhSL!", "001D000000IqhSLXXX", "x" * 19])
def test_normalize_rejects_what_is_not_an_id(bad: str) -> None:
    assert ids.normalize(bad) is None, f"normalize({bad!r}) should be None"


def test_make_id_carries_prefix_pod_and_valid_checksum() -> None:
    made = ids.make_id("003", "5AB", 62)
    assert made.startswith("0035AB"), made
    assert len(made) == 18
    assert ids.is_valid(made)
    assert made[6:15] == "000000010", made


def test_make_id_is_deterministic_and_distinct_per_sequence() -> None:
    first = [ids.make_id("001", "500", n) for n in range(1, 200)]
    assert first == [ids.make_id("001", "500", n) for n in range(1, 200)]
    assert len({i[:15] for i in first}) == len(first)


def test_base62_overflow_is_refused() -> None:
    with pytest.raises(ValueError, match="overflows"):
        ids.base62(62**3, 3)
