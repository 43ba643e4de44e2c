"""The busy notice of the admission control (infoview_app/admission.py).

The var is only ever set by deltas the admission control sends straight to the tab; the
stored state keeps its default, so a reconnect never shows a stale notice. No event handlers:
nothing here is callable from a client. Under SessionState like every state of the app, so
that it is forgotten with the tab's others (state/tab_privacy.py)."""

from infoview_app.state.base import SessionState

BUSY = "Busy, trying again..."


class AdmissionState(SessionState):
    busy: str = ""
