"""Imports every area's tables so metadata (create_all, Alembic autogenerate) sees them all."""
import accounts.models  # noqa: F401
import citizen.codes.models  # noqa: F401
import citizen.reports.models  # noqa: F401
import citizen.triage.models  # noqa: F401
import citizen.wall.models  # noqa: F401
import disclosure.models  # noqa: F401
import points.models  # noqa: F401
import jobs.models  # noqa: F401
import notify.models  # noqa: F401
