"""The Bulk APIs: Bulk API 2.0 (``/services/data/vNN.0/jobs/...``) and Bulk API 1.0
(``/services/async/NN.0/...``), with the control plane's bulk knobs (``/_mock/orgs/<id>/bulk``).

``jobs`` stores jobs and batches, ``csvdata`` reads and writes CSV, ``rows`` runs one row as a
real DML call of ``records/``, ``ingest`` / ``query_jobs`` / ``classic`` are the job kinds,
``state`` moves jobs along on the org's clock; the ``*_routes`` modules are thin views.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("bulk", __name__)


def _nest() -> None:
    from .classic_routes import bp as classic_bp
    from .control import bp as control_bp
    from .v2_routes import bp as v2_bp

    bp.register_blueprint(v2_bp)
    bp.register_blueprint(classic_bp)
    bp.register_blueprint(control_bp)


_nest()
