"""Validation of a contact's fields."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoview_app.models import ContactSource
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.develop import contacts


@pytest.mark.parametrize(("raw", "clean"), [
    ("linkedin.com/in/ana-lima", "https://www.linkedin.com/in/ana-lima"),
    ("https://www.linkedin.com/in/ana-lima/", "https://www.linkedin.com/in/ana-lima"),
    ("http://LinkedIn.com/in/ana", "https://www.linkedin.com/in/ana"),
    ("https://www.linkedin.com/in/ana?trk=share", "https://www.linkedin.com/in/ana"),
    ("https://uk.linkedin.com/in/ana", "https://www.linkedin.com/in/ana"),
    ("", ""),
])
def test_linkedin_urls_are_normalised(raw: str, clean: str) -> None:
    assert contacts.linkedin_profile_url(raw) == clean


@pytest.mark.parametrize("raw", ["https://evil.example/in/ana", "javascript:alert(1)",
                                 "https://www.linkedin.com/company/acme",
                                 "https://linkedin.com.evil.example/in/ana",
                                 "https://evillinkedin.com/in/ana",
                                 "https://www.linkedin.com/in/"])
def test_other_addresses_are_refused(raw: str) -> None:
    with pytest.raises(InvalidInput) as error:
        contacts.linkedin_profile_url(raw)
    assert error.value.field == "linkedin_url"


def test_phone_numbers() -> None:
    assert check.phone(" (555) 010-4200 x12 ") == "(555) 010-4200 x12"
    assert check.phone("+44 20 7946 0958") == "+44 20 7946 0958"
    assert check.phone("") == ""
    for bad in ["call me", "()", "555<script>", "1" * 41]:
        with pytest.raises(InvalidInput):
            check.phone(bad)


def test_clean_contact_reports_every_bad_field_and_defaults_the_source() -> None:
    with pytest.raises(InvalidInput) as error:
        contacts.clean_contact({"name": "", "email": "nope", "phone": "abc",
                                "source": "stranger", "title": "x" * 151})
    assert set(error.value.errors) == {"name", "email", "phone", "source", "title"}
    fields = contacts.clean_contact({"name": " Dr. Elena Rivera ", "email": "E@Uni.EDU"})
    assert (fields.name, fields.email, fields.source) == ("Dr. Elena Rivera", "E@uni.edu",
                                                           ContactSource.OTHER)


@given(st.dictionaries(st.sampled_from(["name", "title", "organization", "email", "phone",
                                        "linkedin_url", "mailing_address", "source"]),
                       st.one_of(st.text(max_size=400), st.integers(), st.none(),
                                 st.lists(st.text(), max_size=2))))
def test_clean_contact_never_raises_anything_but_invalid_input(form: dict) -> None:
    try:
        fields = contacts.clean_contact(form)
    except InvalidInput:
        return
    assert fields.name and len(fields.name) <= contacts.LIMITS["name"]
    assert len(fields.mailing_address) <= contacts.LIMITS["mailing_address"]


def test_a_form_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(InvalidInput) as error:
        contacts.clean_contact(["name", "Ana"])
    assert error.value.field == "form"
