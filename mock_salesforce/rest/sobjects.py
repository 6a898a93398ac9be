"""``/sobjects``: describe, single records, external ids and the replication windows.

Each resource is declared once (``serve``): the same handler answers the HTTP call and a
composite subrequest to the same URL. The endpoint names are the journal's operations.
"""

from __future__ import annotations

from ..records import resources as r
from . import bp
from .http import serve

SOBJECT = "/v<version>/sobjects/<sobject>"

for _method, _rule, _endpoint, _handler in (
    ("GET", "/v<version>/sobjects", "describe_global", r.describe_global_reply),
    ("GET", SOBJECT, "sobject_basic", r.sobject_reply),
    ("GET", f"{SOBJECT}/describe", "describe_sobject", r.describe_reply),
    ("POST", SOBJECT, "create_record", r.create_reply),
    ("GET", f"{SOBJECT}/updated", "updated_records", r.updated_reply),
    ("GET", f"{SOBJECT}/deleted", "deleted_records", r.deleted_reply),
    ("GET", f"{SOBJECT}/<record_id>", "retrieve_record", r.retrieve_reply),
    ("PATCH", f"{SOBJECT}/<record_id>", "update_record", r.update_reply),
    ("DELETE", f"{SOBJECT}/<record_id>", "delete_record", r.delete_reply),
    (
        "GET",
        f"{SOBJECT}/<field>/<value>",
        "retrieve_by_external_id",
        r.retrieve_by_external_id_reply,
    ),
    ("PATCH", f"{SOBJECT}/<field>/<value>", "upsert_record", r.upsert_reply),
    (
        "DELETE",
        f"{SOBJECT}/<field>/<value>",
        "delete_by_external_id",
        r.delete_by_external_id_reply,
    ),
):
    serve(bp, _method, _rule, _endpoint, _handler)
