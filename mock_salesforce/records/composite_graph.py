"""``POST /composite/graph``: independent graphs of composite subrequests (v50+).

Each graph is one all-or-nothing transaction: its nodes chain by ``@{ref.field}`` as in
``/composite``; when a node fails, the graph rolls back, the failing node keeps its error and
every other node reports PROCESSING_HALTED, and the graph is ``isSuccessful: false``. Graphs
are independent of each other. Nodes may only be sObject record calls; limits are 75 graphs
and 500 nodes per payload; after 14 failed graphs the rest are not run (REST guide,
"Composite Graph"; shared reference part 2 §4.3).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .. import errors
from .composite import Runner, Subrequest, parse_subrequests, run_chain

MAX_GRAPHS = 75
MAX_NODES = 500
MAX_FAILED_GRAPHS = 14
_NODE_URL = re.compile(r"^/services/data/v\d+\.0/sobjects/[^/?]+(/[^?]*)?(\?.*)?$")


def parse_graphs(body: Any) -> list[tuple[str, list[Subrequest]]]:
    """The graphs, checked as a whole: a malformed payload is a 400 for the whole call."""
    graphs = body.get("graphs") if isinstance(body, Mapping) else None
    if not isinstance(graphs, list) or not graphs:
        raise errors.InvalidInput("The request must contain a graphs array")
    if len(graphs) > MAX_GRAPHS:
        raise errors.InvalidInput(f"Limit of {MAX_GRAPHS} graphs exceeded: {len(graphs)} graphs")
    parsed = [_graph(graph) for graph in graphs]
    ids = [graph_id for graph_id, _ in parsed]
    duplicated = next((graph_id for graph_id in ids if ids.count(graph_id) > 1), None)
    if duplicated:
        raise errors.InvalidInput(f"Duplicate graphId provided in the request: {duplicated}")
    nodes = sum(len(subrequests) for _, subrequests in parsed)
    if nodes > MAX_NODES:
        raise errors.InvalidInput(f"Limit of {MAX_NODES} nodes exceeded: {nodes} nodes")
    return parsed


def _graph(graph: Any) -> tuple[str, list[Subrequest]]:
    if not isinstance(graph, Mapping) or not isinstance(graph.get("graphId"), str):
        raise errors.InvalidInput("Each graph needs a graphId and a compositeRequest array")
    subrequests = parse_subrequests(graph.get("compositeRequest"), MAX_NODES)
    for sub in subrequests:
        if not _NODE_URL.match(sub.url):
            raise errors.InvalidInput(
                f"A graph node can only be an sObject record call (/sobjects/...): {sub.url}"
            )
    return str(graph["graphId"]), subrequests


def run_graphs(runner: Runner, body: Any) -> dict[str, Any]:
    """Execute every graph; returns ``{"graphs": [...]}`` in request order."""
    answers: list[dict[str, Any]] = []
    failed = 0
    for graph_id, subrequests in parse_graphs(body):
        if failed >= MAX_FAILED_GRAPHS:
            responses = [_not_run(sub) for sub in subrequests]
        else:
            responses = run_chain(runner, subrequests, all_or_none=True)
        successful = all(response["httpStatusCode"] < 400 for response in responses)
        failed += 0 if successful else 1
        answers.append(
            {
                "graphId": graph_id,
                "graphResponse": {"compositeResponse": responses},
                "isSuccessful": successful,
            }
        )
    return {"graphs": answers}


def _not_run(sub: Subrequest) -> dict[str, Any]:
    error = errors.ProcessingHalted(
        f"This graph was not processed: more than {MAX_FAILED_GRAPHS} graphs of the request failed"
    )
    return {
        "body": [error.to_json()],
        "httpHeaders": {},
        "httpStatusCode": error.http_status,
        "referenceId": sub.reference_id,
    }
