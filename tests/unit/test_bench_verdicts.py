"""`make bench` says which targets a run met: each targeted figure carries a verdict, and the
run ends with how many were met and which were not."""

from __future__ import annotations

from bench import http
from bench.__main__ import table, verdicts
from bench.common import Figure
from bench.wrk import Hit


def _round(rates: dict[str, float]) -> dict[str, Hit]:
    return {name: Hit(rate, int(rate), 0, 0.2) for name, rate in rates.items()}


def _http_round(bare_same: float, get: float, create: float) -> dict[str, Hit]:
    return _round(
        {
            http.GUNICORN[0]: 4_000,
            http.GUNICORN[1]: 5_000,
            http.SAME: bare_same,
            http.SAME_OWN_POOL: 4_000,
            "GET Contact by id": get,
            "create Contact": create,
            http.FLOOR: 3_000,
        }
    )


def _by_case(figures: list[Figure]) -> dict[str, Figure]:
    return {f.case: f for f in figures}


def test_a_call_meets_its_target_only_when_both_ratios_do() -> None:
    # Same-config bare route 10,000 req/s (also the best bare server): a GET at 6,100 is
    # 0.61 of both; a create at 5,500 is 0.55: over 0.5 of the best, under 0.6 of the same.
    rounds = [_http_round(10_000, 6_100, 5_500) for _ in range(3)]
    figures = _by_case(http._figures(rounds))
    assert figures["GET Contact by id"].met is True, figures["GET Contact by id"]
    assert figures["create Contact"].met is False, figures["create Contact"]


def test_the_verdict_takes_the_median_round() -> None:
    # One good round of three does not meet the target; two of three do.
    one_good = [_http_round(10_000, 7_000, 2_000), *[_http_round(10_000, 5_000, 2_000)] * 2]
    two_good = [*[_http_round(10_000, 7_000, 2_000)] * 2, _http_round(10_000, 5_000, 2_000)]
    assert _by_case(http._figures(one_good))["GET Contact by id"].met is False
    assert _by_case(http._figures(two_good))["GET Contact by id"].met is True


def test_untargeted_figures_carry_no_verdict() -> None:
    figures = _by_case(http._figures([_http_round(10_000, 6_000, 3_000)]))
    for case in (http.SAME, http.GUNICORN[0], http.FLOOR):
        assert figures[case].met is None, figures[case]


def test_the_run_ends_with_the_targets_met_and_names_those_missed() -> None:
    figures = [
        Figure(
            "org setup", "org + 5 users", "direct", 30, median_ms=25.0, target="<= 20 ms", met=False
        ),
        Figure(
            "footprint", "RSS per idle org", "http", 1000, ratio=0.3, target="<= 1 MB", met=True
        ),
        Figure("machine", "CPU probe", "at start", 5, median_ms=50.0, target="(reported)"),
    ]
    summary = verdicts(figures)
    assert summary == (
        "targets met in this run: 1 of 2; not met: org setup / org + 5 users (<= 20 ms)"
    ), summary
    lines = table(figures).splitlines()
    assert "NOT MET" in lines[1] and " met " in lines[2], lines
    assert "met" not in lines[3].split("(reported)")[0], lines[3]


def test_a_run_that_met_everything_says_so() -> None:
    figure = Figure("soql", "WHERE Email", "engine", 200, ratio=1.1, target="<= 2x", met=True)
    assert verdicts([figure]) == "targets met in this run: 1 of 1", verdicts([figure])
