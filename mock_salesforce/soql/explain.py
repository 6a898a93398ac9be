"""`/query?explain=<SOQL>`: the query plan Salesforce's Query Plan tool shows, from SQLite's.

The leading operation is `Index` when SQLite searches the main table through an index, else
`TableScan`; cardinalities are counted, not estimated (REST API guide, "Get Feedback on Query
Performance").
"""

from __future__ import annotations

import re
from typing import Any

from mock_salesforce.soql.plan import AggregatePlan, CountPlan, Plan, SelectPlan
from mock_salesforce.store import OrgStore
from mock_salesforce.store.ddl import quote

_INDEX = re.compile(r"^SEARCH (\w+) USING (?:COVERING )?(?:INDEX \w+|INTEGER PRIMARY KEY)")
_INDEX_FIELDS = re.compile(r"\((\w+)[=<>]")


def explain(store: OrgStore, plan: Plan, sobject: str) -> dict[str, Any]:
    """`{"plans": [...]}` for one compiled query."""
    sql, params = plan.sql()
    details = [str(row["detail"]) for row in store.query(f"EXPLAIN QUERY PLAN {sql}", params)]
    alias = plan.alias if isinstance(plan, SelectPlan) else _main_alias(plan)
    searched = [d for d in details if (m := _INDEX.match(d)) and m.group(1) == alias]
    total = int(store.query(f"SELECT COUNT(*) FROM {quote(sobject)}")[0][0])
    cardinality = _cardinality(store, plan)
    ratio = cardinality / total if total else 0.0
    return {
        "plans": [
            {
                "cardinality": cardinality,
                "fields": _INDEX_FIELDS.findall(searched[0]) if searched else [],
                "leadingOperationType": "Index" if searched else "TableScan",
                "notes": [],
                "relativeCost": round(ratio if searched else max(ratio, 0.65), 4),
                "sobjectCardinality": total,
                "sobjectType": sobject,
            }
        ]
    }


def _main_alias(plan: AggregatePlan | CountPlan) -> str:
    return plan.from_sql.split(" ", 2)[1]


def _cardinality(store: OrgStore, plan: Plan) -> int:
    sql, params = plan.sql()
    if isinstance(plan, CountPlan):
        return int(store.query(sql, params)[0][0])
    return int(store.query(f"SELECT COUNT(*) FROM ({sql})", params)[0][0])
