"""The demo keeps the app's own rules: every record the seed writes passes the validators of
its staff form (and of the API schema where there is one), and one record of each kind saves
unchanged from its staff edit page — what a newcomer does first with the demo admin."""

from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, FormField, SelectChoice

from boostcamp.api.schemas.events import EventChanges, EventOut
from boostcamp.events.forms import EventForm
from boostcamp.events.models import Event, EventStatus
from boostcamp.core.extensions import db
from boostcamp.organisations.forms import OrganisationForm
from boostcamp.organisations.models import Organisation
from boostcamp.outcomes.impact.forms import TargetForm
from boostcamp.outcomes.impact.models import ImpactTarget
from boostcamp.outcomes.records.forms import CertificationForm, StartupForm
from boostcamp.outcomes.records.models import Certification, Startup
from boostcamp.registrations.forms import registration_form
from boostcamp.registrations.models import Registration
from boostcamp.registrations.questions import event_questions
from tests.test_demo import seed, sign_in

ADMIN = ("admin@mic-mons.example", "demo-admin")


# ---------------------------------------------------------------- every record, every kind


def _posted(form) -> MultiDict:
    """What a browser sends back for the form as the edit page shows it."""
    data = MultiDict()

    def add(field):
        if isinstance(field, FieldList | FormField):
            for sub in field:
                add(sub)
        elif field.type in ("SubmitField", "CSRFTokenField"):
            return
        elif field.type == "BooleanField":
            if field.data:
                data.add(field.name, "y")
        elif hasattr(field, "iter_choices"):
            chosen = [c[0] for c in field.iter_choices() if c[2]]
            if not chosen and field.type == "SelectField":
                chosen = [next(iter(field.iter_choices()))[0]]  # a browser's first option
            for value in chosen:
                data.add(field.name, str(value))
        else:
            data.add(field.name, field._value())

    for field in form:
        add(field)
    return data


def _errors(form) -> dict:
    form.validate()
    return form.errors


def _check(app, failures, label, build_shown, build_posted):
    """build_shown() makes the form as the edit page shows it (GET); build_posted() the one
    the page validates when it comes back (POST)."""
    with app.test_request_context("/", method="GET"):
        shown = build_shown()
        data = _posted(shown)
    with app.test_request_context("/", method="POST", data=data):
        if errors := _errors(build_posted()):
            failures.append(f"{label}: {errors}")


def _event_form(event=None):
    form = EventForm.for_event(event) if event else EventForm()
    del form.slug
    orgs = db.session.scalars(sa.select(Organisation)).all()
    form.co_organisers.choices = [SelectChoice(o.id, o.name) for o in orgs]
    return form


def _startup_form(startup=None):
    form = StartupForm(obj=startup)
    if startup is not None:
        form.enterprise_number.data = startup.enterprise_number_display
        form.status.data = startup.status.value
    return form


def _certification_form(certification=None):
    form = CertificationForm(obj=certification)
    if certification is not None:
        form.person.data = certification.person.email
    return form


# Slow by design: every record of the demo (some 3,000 registrations, every event, start-up,
# certification and target) through its staff form, and every event through the API schema.
def test_every_demo_record_passes_its_staff_form_and_api_schema(app):
    seed()
    failures: list[str] = []
    for org in db.session.scalars(sa.select(Organisation)):
        _check(app, failures, f"organisation {org.slug}",
               lambda org=org: OrganisationForm(obj=org), OrganisationForm)  # fmt: skip
    events = db.session.scalars(sa.select(Event).where(Event.status != EventStatus.CANCELLED))
    for event in events:
        _check(app, failures, f"event {event.slug}", lambda e=event: _event_form(e), _event_form)
        with app.test_request_context("/"):
            shown = EventOut().dump(event)
        changes = {k: v for k, v in shown.items() if k in EventChanges._declared_fields}
        changes["co_organisers"] = [o["slug"] for o in shown["co_organisers"]]
        for session in changes["sessions"]:
            session.pop("id")
        if errors := EventChanges().validate(changes):
            failures.append(f"event {event.slug} (API): {errors}")
    for startup in db.session.scalars(sa.select(Startup)):
        _check(app, failures, f"start-up {startup.name}",
               lambda s=startup: _startup_form(s), _startup_form)  # fmt: skip
    for cert in db.session.scalars(sa.select(Certification).options(sa.orm.joinedload(Certification.person))):
        _check(app, failures, f"certification {cert.id} {cert.code}",
               lambda c=cert: _certification_form(c), _certification_form)  # fmt: skip
    for target in db.session.scalars(sa.select(ImpactTarget)):
        _check(app, failures, f"target {target.label}",
               lambda t=target: TargetForm(obj=t), TargetForm)  # fmt: skip
    for event in db.session.scalars(sa.select(Event)):
        questions = event_questions(event)
        registrations = db.session.scalars(
            sa.select(Registration).where(Registration.event_id == event.id)
            .options(sa.orm.joinedload(Registration.person), sa.orm.selectinload(Registration.answers))
        )  # fmt: skip
        for registration in registrations:
            _check(app, failures, f"registration {registration.id} ({event.slug})",
                   lambda r=registration, q=questions: registration_form(q, r),
                   lambda q=questions: registration_form(q))  # fmt: skip
    assert not failures, "\n".join(failures[:30])


# ---------------------------------------------------------------- one of each kind, saved


class _FormReader(HTMLParser):
    """The fields of the page's post forms, as a browser sends them: {action: [(name, value)]}."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: dict[str, list[tuple[str, str]]] = {}
        self.current = None
        self.select = None  # (name, options, selected)
        self.option = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.current = self.forms.setdefault(a.get("action") or "", [])
        if self.current is None:
            return
        if tag == "input" and a.get("name") and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.current.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name") and "disabled" not in a:
            self.select = (a["name"], [], [], "multiple" in a)
        elif tag == "option" and self.select is not None:
            self.option = a.get("value")
            self.select[1].append(self.option)
            if "selected" in a:
                self.select[2].append(self.option)
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        elif self.select is not None and self.option is None and self.select[1]:
            pass

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select" and self.select is not None:
            name, options, selected, multiple = self.select
            if not selected and options and not multiple:
                selected = options[:1]
            self.current.extend((name, value or "") for value in selected)
            self.select = None
        elif tag == "option":
            self.option = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.current.append((name, text.removeprefix("\n")))
            self.textarea = None


def _row(record) -> dict:
    db.session.refresh(record)
    return {
        c.key: getattr(record, c.key)
        for c in sa.inspect(type(record)).mapper.column_attrs
        if c.key not in ("updated_at", "version")
    }


def _first(statement):
    return db.session.scalars(statement.limit(1)).one()


KINDS = {
    "organisation": lambda: (
        o := _first(sa.select(Organisation).where(Organisation.slug == "mic-mons")),
        f"/staff/organisations/{o.slug}/edit",
    ),
    "event": lambda: (
        # The richest: two days, a Markdown description.
        e := _first(sa.select(Event).where(Event.slug == "hackathon-ia-pme-wallonnes")),
        f"/staff/events/{e.slug}/edit",
    ),
    "start-up": lambda: (
        s := _first(sa.select(Startup).order_by(Startup.id)),
        f"/staff/outcomes/startups/{s.id}/edit",
    ),
    "certification": lambda: (
        c := _first(sa.select(Certification).order_by(Certification.id)),
        f"/staff/outcomes/certifications/{c.id}/edit",
    ),
    "target": lambda: (
        t := _first(sa.select(ImpactTarget).order_by(ImpactTarget.id)),
        f"/staff/impact/targets/{t.id}/edit",
    ),
    "registration": lambda: (
        r := _first(sa.select(Registration).order_by(Registration.id.desc())),
        f"/staff/events/{r.event.slug}/registrations/{r.id}/edit",
    ),
}  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_one_demo_record_of_each_kind_saves_unchanged(app, kind):
    seed()
    record, url = KINDS[kind]()
    before = _row(record)
    client, _ = sign_in(app, *ADMIN)
    page = client.get(url)
    assert page.status_code == 200, url
    reader = _FormReader()
    reader.feed(page.get_data(as_text=True))
    action = next((a for a in reader.forms if a in ("", url) or a.startswith(url)), None)
    assert action is not None, f"no form posting to {url}: {list(reader.forms)}"
    response = client.post(action or url, data=MultiDict(reader.forms[action]))
    assert response.status_code == 302, (
        f"{kind} {url} refused unchanged: " + response.get_data(as_text=True)[:3000]
    )
    db.session.expire_all()
    assert _row(record) == before
