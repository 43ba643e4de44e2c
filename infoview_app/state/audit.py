"""Admin: the audit log (services/accounts/audit.py), filtered, and downloaded as CSV."""

from typing import Any

import reflex as rx

from infoview_app import db
from infoview_app.config import audit_retention_days
from infoview_app.models import AuditKind
from infoview_app.services.accounts import audit
from infoview_app.services.accounts.audit import AuditFilters, AuditRow
from infoview_app.state.base import ADMIN, FormState, SessionState, acting, guarded

NOBODY = "Not signed in"


def _row(row: AuditRow) -> dict[str, str]:
    """An event as the page's table shows it (display strings)."""
    return {"id": str(row.id), "when": row.when, "event": row.label,
            "actor": row.actor_email or NOBODY, "target": row.target_email,
            "detail": row.detail, "client": row.client}


class AuditLogState(FormState, SessionState):
    # The filters in force, as the form shows them.
    kind: rx.Field[str] = rx.field("")
    email: rx.Field[str] = rx.field("")
    start: rx.Field[str] = rx.field("")
    end: rx.Field[str] = rx.field("")
    # Bumped whenever the filters change on the server: the form is rebuilt with them.
    form_version: rx.Field[int] = rx.field(0)
    rows: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    more: rx.Field[bool] = rx.field(False)  # more events match than are listed
    retention_days: rx.Field[int] = rx.field(0)
    loaded: rx.Field[bool] = rx.field(False)

    def _filters(self) -> AuditFilters:
        """The filters in force: set by this server, parsed again to get their types."""
        return audit.parse_filters({"kind": self.kind, "email": self.email,
                                    "start": self.start, "end": self.end})

    def _show(self, filters: AuditFilters) -> None:
        with db.session() as session:
            found = audit.events(session, filters, limit=audit.SHOWN + 1)
        self._assign(
            kind=filters.kind.value if filters.kind else "", email=filters.email,
            start=filters.start.isoformat() if filters.start else "",
            end=filters.end.isoformat() if filters.end else "",
            rows=[_row(row) for row in found[:audit.SHOWN]], more=len(found) > audit.SHOWN,
            retention_days=audit_retention_days(), loaded=True)
        self.form_version += 1

    @guarded(ADMIN)
    def load(self) -> None:
        self.errors = {}
        self._show(self._filters())

    @guarded(ADMIN)
    def apply_filters(self, form_data: dict[str, Any]) -> None:
        self.errors = {}
        self._show(audit.parse_filters(form_data))

    @guarded(ADMIN)
    def reset_filters(self) -> None:
        self.errors = {}
        self._show(audit.NO_FILTERS)

    @guarded(ADMIN)
    def download_csv(self) -> Any:
        """The events matching the filters in force, as CSV. Downloading the log is itself
        recorded in it."""
        filters = self._filters()
        filename = "infoview-audit-log.csv"
        with db.session() as session:
            data = audit.events_csv(session, filters)
            audit.record_alone(session, AuditKind.DATA_EXPORTED, acting(self),
                               audit.Target(detail=f"file: {filename}"))
        self._show(filters)
        return rx.download(data=data, filename=filename, mime_type="text/csv")
