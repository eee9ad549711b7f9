"""Every table, for Alembic (``alembic/env.py``) and tools that need the whole schema.

Import it for its side effect (``import espace.tables``): it loads each domain's ``models`` module
(and core's own table, ``core/job_runs.py``) so that ``SQLModel.metadata`` is complete. Domain code
imports its tables from the domain that owns them (``from espace.claims.models import Claim``),
never from here (an import-linter contract checks it).
"""

import espace.billing.models  # noqa: F401
import espace.claims.models  # noqa: F401
import espace.contracts.models  # noqa: F401
import espace.core.job_runs  # noqa: F401
import espace.dashboard.models  # noqa: F401
import espace.documents.models  # noqa: F401
import espace.identity.models  # noqa: F401
import espace.integration.models  # noqa: F401
import espace.lifecycle.models  # noqa: F401
import espace.notifications.models  # noqa: F401
import espace.privacy.models  # noqa: F401
import espace.support.models  # noqa: F401
import espace.webhooks.models  # noqa: F401
