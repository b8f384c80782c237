"""Enums carry their own labels (boostcamp.core.labels): every member reads well in every
language, and no dict of labels for an enum comes back beside it (issue 17)."""

import ast
import enum
import importlib
import json
import pickle
import pkgutil
from pathlib import Path

import pytest
from flask_babel import force_locale

import boostcamp
from boostcamp.core.labels import Labelled
from tests.conftest import make_app
from tests.core.test_translations import catalogue, is_translated

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("fr", "nl", "en")
TRANSLATION_CALLS = {"_", "_l", "gettext", "lazy_gettext"}
# Translated dicts keyed by an enum that are not its names, each kept where it is used.
KEPT = {
    ("boostcamp/organisations/forms.py", "ROLE_DUTIES"),  # a role given with what it allows
    ("boostcamp/registrations/seats.py", "CLOSED_MESSAGES"),  # sentences for some states
}


def all_enums() -> list[type[enum.Enum]]:
    """Every enum defined in boostcamp (every module imported: the demo's too)."""
    for module in pkgutil.walk_packages(boostcamp.__path__, "boostcamp."):
        importlib.import_module(module.name)
    found, todo = [], [enum.Enum]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("boostcamp.") and len(sub):
                found.append(sub)
    return found


ENUMS = all_enums()
LABELLED = sorted((e for e in ENUMS if issubclass(e, Labelled)), key=lambda e: e.__qualname__)
MEMBERS = [m for e in LABELLED for m in e]


@pytest.fixture(scope="module")
def bare_app():
    """No database: labels need only Babel."""
    return make_app("sqlite://")


def test_the_enums_that_were_labelled_by_dicts_are_labelled():
    names = {e.__name__ for e in LABELLED}
    assert {"EventKind", "Audience", "Admission", "EventStatus", "RegistrationStatus", "Profile",
            "QuestionKind", "OutboxStatus", "Unit", "StartupStatus", "StartupRole", "Dimension",
            "ImpactMetric", "ImportKind", "OrganisationKind", "PlatformType", "MemberRole",
            "Decision", "PeopleList"} <= names  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_member_has_a_label_in_every_language(bare_app, language):
    empty, raw = [], []
    with bare_app.test_request_context(), force_locale(language):
        for member in MEMBERS:
            text = str(member.label)
            if not text.strip():
                empty.append(member)
            if language == "fr" and text == member.value:
                raw.append(member)
    assert empty == []
    assert raw == [], "the French page would show the stored value"


@pytest.mark.parametrize("language", ("fr", "nl"))
def test_every_label_is_a_translated_msgid(language):
    """The labels kept their English source strings: the catalogues still translate them."""
    translated = {m.id for m in catalogue(language) if is_translated(m)}
    missing = [(m, m.label._args[0]) for m in MEMBERS if m.label._args[0] not in translated]
    assert missing == []


def test_a_labelled_member_is_still_its_plain_string(bare_app):
    from boostcamp.events.models import EventKind

    kind = EventKind.WORKSHOP
    assert kind == "workshop" and str(kind) == "workshop" and f"{kind}" == "workshop"
    assert EventKind("workshop") is kind and EventKind["WORKSHOP"] is kind
    assert pickle.loads(pickle.dumps(kind)) is kind
    assert json.dumps({"kind": kind}) == '{"kind": "workshop"}'
    assert kind.value == "workshop" and type(kind.value) is str
    with bare_app.test_request_context(), force_locale("fr"):
        assert str(kind.label) == "Atelier"
        assert [str(c.label) for c in EventKind.choices(EventKind.WORKSHOP)] == ["Atelier"]
        assert EventKind.label_of("workshop") == kind.label
    assert EventKind.label_of("party") == "party" and EventKind.label_of(None) is None
    assert [c.value for c in EventKind.choices()] == [k.value for k in EventKind]


def test_the_pages_show_the_labels_in_french(app, client, auth):
    """Pages and filters that showed a *_LABELS dict now read member.label: in French."""
    from boostcamp.auth.models import StaffRole
    from boostcamp.events.models import Audience, EventKind, EventStatus
    from boostcamp.mail.models import OutboxStatus
    from boostcamp.organisations.models import OrganisationKind
    from boostcamp.registrations.models import Profile, RegistrationStatus
    from tests.factories import make_event, make_org, make_person, make_registration, make_user
    from tests.mail.helpers import add_sample_templates, queue

    def french(*members) -> list[str]:
        with app.test_request_context(), force_locale("fr"):
            return [str(m.label) for m in members]

    make_user("staff@mic.test", role=StaffRole.ADMIN)
    make_org("Partner A")
    event = make_event(kind=EventKind.WORKSHOP, audiences=[Audience.STUDENTS])
    draft = make_event(status=EventStatus.DRAFT)
    make_registration(
        event, make_person(), status=RegistrationStatus.WAITLISTED, profile=Profile.STUDENT
    )
    applicant = make_person()
    make_registration(draft, applicant, status=RegistrationStatus.APPLIED)
    add_sample_templates(app)
    with app.test_request_context():
        queue()

    pages = {
        "/?kind=workshop&audience=students": french(EventKind.WORKSHOP, Audience.STUDENTS),
        f"/events/{event.slug}": french(EventKind.WORKSHOP, Audience.STUDENTS),
        f"/staff/events/{draft.slug}": french(EventStatus.DRAFT),
        # The row's cells, and the status filter (every status, none registered or not).
        f"/staff/events/{event.slug}/registrations": [
            '<td class="text-nowrap">{}'.format(*french(RegistrationStatus.WAITLISTED)),
            "<td>{}</td>".format(*french(Profile.STUDENT)),
            *french(RegistrationStatus.REJECTED)],
        "/staff/organisations/": french(OrganisationKind.PLATFORM),
        "/staff/outbox/": french(OutboxStatus.QUEUED, OutboxStatus.PRINTED),
        # The person's data holds stored values ("applied" was shown as it is).
        f"/staff/people/{applicant.id}": [
            "<td>{}</td>".format(*french(RegistrationStatus.APPLIED))],
    }  # fmt: skip
    assert french(EventKind.WORKSHOP, RegistrationStatus.WAITLISTED) == [
        "Atelier",
        "Liste d’attente",
    ]
    auth.login("staff@mic.test")
    for url, labels in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert [label for label in labels if label not in html] == [], url


# ---------------------------------------------------------------- no label dicts come back


def enum_keyed_label_dicts(source: str, enums: list[type[enum.Enum]]) -> list[str]:
    """The names assigned a dict of translated strings keyed by an enum's members: by
    `Enum.MEMBER`, `Enum.MEMBER.value`, or by the values of one enum (two keys or more)."""
    names = {e.__name__ for e in enums}
    values = [{m.value for m in e} for e in enums]

    def is_member(key) -> bool:
        if isinstance(key, ast.Attribute) and key.attr == "value":
            key = key.value
        return (isinstance(key, ast.Attribute) and isinstance(key.value, ast.Name)
                and key.value.id in names)  # fmt: skip

    def is_translated(value) -> bool:
        return (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                and value.func.id in TRANSLATION_CALLS)  # fmt: skip

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign):
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if not (isinstance(value, ast.Dict) and value.keys and isinstance(target, ast.Name)):
            continue
        if not all(is_translated(v) for v in value.values):
            continue
        keys = value.keys
        strings = {k.value for k in keys if isinstance(k, ast.Constant)}
        by_value = (
            len(keys) >= 2 and len(strings) == len(keys) and any(strings <= v for v in values)
        )
        if by_value or any(is_member(k) for k in keys):
            found.append(target.id)
    return found


def test_the_check_finds_a_label_dict():
    """The check below can fail: each way of writing such a dict is caught."""
    from boostcamp.events.models import EventKind

    for source in (
        'KIND_LABELS = {EventKind.WORKSHOP: _l("Workshop"), EventKind.TRAINING: _l("Training")}',
        'NAMES = {EventKind.WORKSHOP.value: _l("Workshop")}',
        'KIND_LABELS = {"workshop": _l("Workshop"), "training": _l("Training")}',
        'WORDS: dict = {EventKind.TRAINING: lazy_gettext("Training")}',
    ):
        assert enum_keyed_label_dicts(source, [EventKind]) != [], source
    for source in ('SORT_LABELS = {"workshop": _l("Workshop"), "date": _l("Date")}',
                   'COLOURS = {EventKind.WORKSHOP: "info"}'):  # fmt: skip
        assert enum_keyed_label_dicts(source, [EventKind]) == [], source


def test_no_dict_of_labels_for_an_enum_is_left():
    found = set()
    for path in sorted((ROOT / "boostcamp").rglob("*.py")):
        for name in enum_keyed_label_dicts(path.read_text(encoding="utf-8"), ENUMS):
            found.add((str(path.relative_to(ROOT)), name))
    assert found - KEPT == set(), "label the enum's members instead (core.labels)"
    assert KEPT <= found, "a kept dict is gone: take it off the list"
