"""The sales app's Salesforce integration core: what an embedding app needs, in one import.

```python
from integration import CoreSettings, OAuthSettings, build_core
core = build_core(CoreSettings(oauth=OAuthSettings(...), encryption_key=key))
```

Layers (docs/architecture.md): `domain` (pure rules) <- `services` (use cases) ->
`salesforce` (the HTTP adapter) and `storage` (SQLite), wired together in `config.build_core`.
"""

from __future__ import annotations

from integration.config import PRODUCTION_LOGIN, SANDBOX_LOGIN, CoreSettings, build_core
from integration.domain.model import (
    ActivityKind,
    ConnectionStatus,
    MemberRole,
    PullSettings,
    PushSettings,
    RecordKind,
    SObject,
)
from integration.salesforce.errors import (
    InvalidSession,
    MultipleMatches,
    OAuthError,
    PermissionDenied,
    RecordError,
    RequestLimitExceeded,
    Retryable,
    SalesforceError,
)
from integration.salesforce.gateway import HttpSalesforceGateway, SalesforceGateway
from integration.salesforce.oauth import OAuthSettings
from integration.services.activities import ActivityResult
from integration.services.connect import ConnectOutcome, ConnectStart
from integration.services.core import IntegrationCore
from integration.services.errors import (
    CredentialUnavailable,
    MemberNotConnected,
    NotAllowed,
    NoUsableCredential,
    ParentNotSynced,
    ProfileOwnerRefused,
    SyncFailure,
    TeamSyncMissing,
)
from integration.services.pull import PullReport
from integration.services.push import PushResult
from integration.services.team_sync import PreflightReport, TeamSyncOutcome
from integration.services.worker import JobReport
from integration.store import Store

__all__ = [
    "PRODUCTION_LOGIN",
    "SANDBOX_LOGIN",
    "ActivityKind",
    "ActivityResult",
    "ConnectOutcome",
    "ConnectStart",
    "ConnectionStatus",
    "CoreSettings",
    "CredentialUnavailable",
    "HttpSalesforceGateway",
    "IntegrationCore",
    "InvalidSession",
    "JobReport",
    "MemberNotConnected",
    "MemberRole",
    "MultipleMatches",
    "NoUsableCredential",
    "NotAllowed",
    "OAuthError",
    "OAuthSettings",
    "ParentNotSynced",
    "PermissionDenied",
    "PreflightReport",
    "ProfileOwnerRefused",
    "PullReport",
    "PullSettings",
    "PushResult",
    "PushSettings",
    "RecordError",
    "RecordKind",
    "RequestLimitExceeded",
    "Retryable",
    "SObject",
    "SalesforceError",
    "SalesforceGateway",
    "Store",
    "SyncFailure",
    "TeamSyncMissing",
    "TeamSyncOutcome",
    "build_core",
]
