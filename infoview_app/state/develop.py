"""Step 2 · Develop: the list of everyone the student knows in the field."""

import asyncio
from typing import Any, ClassVar

import reflex as rx

from infoview_app import db
from infoview_app.models import ContactSource, PipelineStage
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.wording import label, plural
from infoview_app.services.develop import contact_import, contacts, partners
from infoview_app.state.base import STUDENT, FormState, guarded, in_session
from infoview_app.state.exploration import ExplorationState

FORM_FIELDS = ("name", "title", "organization", "email", "phone", "linkedin_url",
               "mailing_address", "source")


class DevelopState(FormState, ExplorationState):
    STEP: ClassVar[int] = 2
    contacts: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    form_open: rx.Field[bool] = rx.field(False)
    editing_id: rx.Field[int] = rx.field(0)
    form_values: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    duplicate: rx.Field[str] = rx.field("")
    partners: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    import_name: rx.Field[str] = rx.field("")
    import_rows: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    import_skipped: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    import_new: rx.Field[int] = rx.field(0)
    # "1 new contact", "3 new contacts": the preview's count and its noun.
    import_new_label: rx.Field[str] = rx.field("")

    _pending_form: dict[str, Any] = {}
    _import_drafts: list[tuple[int, Any]] = []
    _import_source: str = ""

    def _refresh(self, session: Any) -> None:
        exploration = self._exploration_in_url(session)
        rows = [{**row, "source_label": label(ContactSource, row["source"]),
                 "stage_label": label(PipelineStage, row["stage"])}
                for row in contacts.list_contacts(session, self._user_id, exploration.id)]
        self._assign(contacts=rows, partners=partners.listed_partners(session))

    @guarded(STUDENT)
    def load_step(self) -> None:
        with db.session() as session:
            self._refresh(session)
        self._assign(form_open=False, errors={}, duplicate="")
        self._clear_import()

    @guarded(STUDENT)
    def open_form(self, contact_id: int) -> None:
        """Open the contact form: empty for 0, else filled with that contact."""
        values = {"source": ContactSource.OTHER.value}
        if contact_id:
            match = [c for c in self.contacts if c["id"] == contact_id]
            if not match:
                raise InvalidInput("That contact is no longer on your list.", "form")
            values = {key: str(match[0][key] or "") for key in FORM_FIELDS}
        self._assign(form_open=True, editing_id=contact_id if contact_id else 0,
                     form_values=values, errors={}, duplicate="")

    @guarded(STUDENT)
    def set_form_open(self, is_open: bool) -> None:
        self._assign(form_open=is_open is True, duplicate="")

    def _save(self, form: dict[str, Any], allow_duplicate: bool) -> Any:
        with db.session() as session:
            fields = contacts.clean_contact(form)
            if not allow_duplicate:
                warning = contacts.duplicate_warning(session, self._user_id, fields,
                                                     exclude_id=self.editing_id or None)
                if warning:
                    self._pending_form = dict(form)
                    self._assign(duplicate=warning, errors={})
                    return None
            if self.editing_id:
                contacts.update_contact(session, self._user_id, self.editing_id, form)
            else:
                contacts.add_contact(session, self._user_id,
                                     self._exploration_in_url(session).id, form)
            self._refresh(session)
        self._assign(form_open=False, duplicate="", errors={})
        self._refresh_steps()
        return rx.toast.success(f"Saved {fields.name}.")

    @guarded(STUDENT)
    def save(self, form_data: dict[str, Any]) -> Any:
        self.errors = {}
        return self._save(form_data if isinstance(form_data, dict) else {}, False)

    @guarded(STUDENT)
    def save_anyway(self) -> Any:
        return self._save(self._pending_form, True)

    @guarded(STUDENT)
    def remove(self, contact_id: int) -> Any:
        with db.session() as session:
            name = contacts.delete_contact(session, self._user_id, contact_id)
            self._refresh(session)
        self._refresh_steps()
        return rx.toast.success(f"Removed {name} from your list.")

    @guarded(STUDENT)
    def request_partner(self, partner_id: int) -> Any:
        with db.session() as session:
            contact = partners.request_introduction(
                session, self._user_id, self._exploration_in_url(session).id, partner_id)
            self._refresh(session)
        self._refresh_steps()
        return rx.toast.success(f"{contact.name} is on your list; the career office knows you "
                                "asked for an introduction.")

    def _clear_import(self) -> None:
        self._import_drafts, self._import_source = [], ""
        self._assign(import_name="", import_rows=[], import_skipped=[], import_new=0,
                     import_new_label="")

    @guarded(STUDENT, upload=True)
    async def preview_file(self, files: list[rx.UploadFile], session_token: str) -> None:
        """Read an uploaded LinkedIn Connections.csv or .vcf file and show what would be
        imported; nothing is saved until the student confirms. ``session_token`` is the tab's
        own, bound by the page: the guard admits the upload only with it (state/base.py). The
        file is parsed in a child process within a time and memory budget."""
        if files == []:  # the browser refused the file: refuse_file says why
            return
        self._clear_import()
        if (not isinstance(files, list) or len(files) != 1
                or not isinstance(files[0], rx.UploadFile)):
            raise InvalidInput("Choose one file.", "file")
        upload = files[0]
        file_kind, parse, source = contact_import.import_format(upload.name)
        # One byte over the cap is enough to refuse the file (the upload's body was capped
        # while it streamed: infoview_app/upload_limit.py).
        parsed = await contact_import.read_upload(
            parse, await upload.read(contact_import.MAX_FILE_BYTES + 1))
        with db.session() as session:
            exploration_id = self._exploration_in_url(session).id
        # Up to 10,000 drafts checked against every contact the student has: not on the loop.
        preview = await asyncio.to_thread(in_session, contact_import.preview_import,
                                          self._user_id, exploration_id, parsed.drafts,
                                          parsed.skipped)
        self._import_drafts = preview.new_drafts
        self._import_source = source.value
        rows, skipped = contact_import.preview_rows(preview)
        new = len(preview.new_drafts)
        self._assign(import_name=f"{file_kind}: {upload.name}", import_new=new,
                     import_new_label=plural(new, "new contact"),
                     import_rows=rows, import_skipped=skipped, errors={})

    @guarded(STUDENT)
    def refuse_file(self, codes: list[list[str]]) -> None:
        """The browser refused the chosen file before uploading it (react-dropzone's
        ``max_size``, ``accept`` and ``max_files``): say why beside the import field.
        ``codes``: the error codes of each refused file."""
        self._clear_import()
        self._assign(errors={"file": contact_import.refusal_message(codes)})

    @guarded(STUDENT)
    async def confirm_import(self) -> Any:
        if not self._import_drafts:
            raise InvalidInput("There is nothing new to import.", "file")
        with db.session() as session:
            exploration_id = self._exploration_in_url(session).id
        # Up to 10,000 rows written in one transaction: not on the event loop.
        count = await asyncio.to_thread(in_session, contact_import.import_contacts,
                                        self._user_id, exploration_id, self._import_drafts,
                                        ContactSource(self._import_source))
        with db.session() as session:
            self._refresh(session)
        self._clear_import()
        self._refresh_steps()
        return rx.toast.success(f"Imported {plural(count, 'contact')}.")

    @guarded(STUDENT)
    def cancel_import(self) -> None:
        self._clear_import()
