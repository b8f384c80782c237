"""Who reaches every staff page and action: each /staff route × six people.

HOW TO ADD A ROW. A new route under /staff makes `test_every_staff_route_is_in_the_table`
fail ("add the expected access for endpoint X") until EXPECTED below has its endpoint:

    "blueprint.endpoint": [Case(expect, method, params, data), ...]

- expect: the HTTP status for each of ACTORS, in this order:
  (anonymous, partner A manager, partner A check-in, partner B manager, staff, admin)
- method: "GET" for a page, "POST" for an action; every method the route answers needs a Case.
- params: the URL's variables; data: the form sent with a POST (harmless and valid);
  json: the JSON body instead, for the endpoints that take JSON.
  Strings are filled from the world with str.format: "{event_a.slug}", "{a_checkin.id}".
  Need another object? Add it to `build_world`.

The rules: anonymous → 302 to the sign-in page; refused → 403, except that an event the
person may not even see answers 404 (a partner guessing addresses learns nothing).
Successful actions redirect (302); pages and forms sent back with errors answer 200.
"""

from dataclasses import dataclass, field
from datetime import date

import pytest
import sqlalchemy as sa
from flask import url_for

from boostcamp.admission import review_settings
from boostcamp.api import services as api_services
from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.db import utcnow
from boostcamp.events import editing
from boostcamp.events.models import EventKind, EventStatus
from boostcamp.core.extensions import db
from boostcamp.mail.models import OutboxMessage, OutboxStatus
from boostcamp.outcomes.impact import targets
from boostcamp.outcomes.imports.models import ImportKind, ImportUpload
from boostcamp.outcomes.surveys.models import FollowupSurvey, SurveyReview
from boostcamp.programmes.models import ProgrammeRegistration
from boostcamp.registrations.models import RegistrationStatus
from tests.conftest import clear_tables, make_app
from tests.factories import (
    PASSWORD,
    at,
    make_centre,
    make_certification,
    make_check_in,
    make_event,
    make_org,
    make_person,
    make_programme,
    make_question,
    make_registration,
    make_startup,
    make_user,
)

ACTORS = ("anonymous", "a_manager", "a_checkin", "b_manager", "staff", "admin")


@dataclass(frozen=True)
class Case:
    expect: tuple[int, int, int, int, int, int]  # one status per actor, in ACTORS' order
    method: str = "GET"
    params: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    json: dict | None = None


EVENT_A = {"slug": "{event_a.slug}"}  # published, co-organised by partner A
DRAFT_A = {"slug": "{draft_a.slug}"}  # proposed by partner A's manager
EVENT_B = {"slug": "{event_b.slug}"}  # published, co-organised by partner B
ORG_A = {"slug": "{org_a.slug}"}
A_CHECKIN = {"slug": "{org_a.slug}", "user_id": "{a_checkin.id}"}
EVENT_FORM = {
    "title_fr": "Atelier de la matrice", "kind": "workshop", "language": "fr", "city": "Mons",
    "starts_at": "2030-06-03T18:00", "ends_at": "2030-06-03T21:00", "co_organisers": "{org_a.id}",
}  # fmt: skip
# A partner's edit form has no co-organisers field: posting one anyway is refused (403).
EVENT_EDIT_FORM = {k: v for k, v in EVENT_FORM.items() if k != "co_organisers"}
ORG_FORM = {"name": "Organisation de la matrice", "kind": "platform", "platform_type": ""}
FAILED_MAIL = {"message_id": "{failed_mail.id}"}
QUESTION_A = {"slug": "{event_a.slug}", "question_id": "{question_a.id}"}
MESSAGE_FORM = {"statuses": "confirmed", "subject": "Parking", "text": "Le parking est fermé."}
QUESTION_FORM = {"label": "Votre secteur ?", "kind": "short_text"}
REGISTRATION_A = {"slug": "{event_a.slug}", "registration_id": "{registration_a.id}"}  # waiting
STARTUP_A = {"startup_id": "{startup_a.id}"}  # founded by someone who came to event_a
STARTUP_B = {"startup_id": "{startup_b.id}"}
STARTUP_FORM = {"name": "Start-up de la matrice", "founded_on": "2012-01-01", "status": "active"}
CERTIFICATION = {"certification_id": "{certification.id}"}
CERTIFICATION_FORM = {"person": "{certification.person.email}", "name": "MCSA",
                      "issuer": "Microsoft", "obtained_on": "2012-01-01"}  # fmt: skip
UPLOAD = {"key": "{upload.key}"}  # staff's
TARGET = {"target_id": "{target.id}"}
TARGET_FORM = {"label": "Emplois 2012–2014", "metric": "jobs", "value": "300",
               "period_from": "2012-01-01", "period_to": "2014-12-31"}  # fmt: skip
RULE_FORM = {"min_attendance_percent": "50", "startup_months": "24", "certification_months": "12"}
REGISTRANT_FORM = {"first_name": "Léa", "last_name": "Martin", "email": "lea@example.be",
                   "profile": "student", "consent": "y"}  # fmt: skip
SCAN_A = {"scans": [{"nonce": "matrix-scan", "ticket": "{registration_a.ticket_code}",
                     "method": "typed"}]}  # fmt: skip
PERSON_A = {"person_id": "{registration_a.person.id}"}
UNDO_NOTHING = {"nonce": "matrix-undo", "entry_nonce": "none"}
APP_A = {"slug": "{app_event_a.slug}"}  # admission by application, co-organised by A
APPLICATION_A = {"slug": "{app_event_a.slug}", "registration_id": "{application_a.id}"}
SCORES_A = {"score_{criterion_a.id}": "4", "note": "Solide"}
WALK_IN = {"nonce": "matrix-walk-in", "first_name": "Léa", "last_name": "Martin",
           "email": "lea@example.be", "consent": True}  # fmt: skip
PROGRAMME_A = {"slug": "{programme_a.slug}"}  # published, co-organised by partner A
DRAFT_PROGRAMME_A = {"slug": "{draft_programme_a.slug}"}
PROGRAMME_B = {"slug": "{programme_b.slug}"}  # published, co-organised by partner B
WAITING_A = {"slug": "{programme_a.slug}", "entry_id": "{waiting_a.id}"}  # programme's queue
WAITING_B = {"slug": "{programme_b.slug}", "entry_id": "{waiting_b.id}"}
PROGRAMME_FORM = {"title_fr": "Parcours de la matrice", "events": "{event_a.id}"}
EDITIONS_FORM = {"every": "1", "unit": "weeks", "count": "2"}

EXPECTED: dict[str, list[Case]] = {
    # --------------------------------------------- anonymous, A manager, A check-in, B manager, staff, admin
    "staff_events.dashboard": [Case((302, 200, 200, 200, 200, 200))],
    "staff_events.new_event": [
        Case((302, 200, 403, 200, 200, 200)),
        # B's manager may not name A as co-organiser: the form comes back with the error.
        Case((302, 302, 403, 200, 302, 302), "POST", data=EVENT_FORM),
    ],
    "staff_events.show_event": [
        Case((302, 200, 200, 404, 200, 200), params=EVENT_A),
        Case((302, 200, 200, 404, 200, 200), params=DRAFT_A),
        Case((302, 404, 404, 200, 200, 200), params=EVENT_B),
    ],
    "staff_events.event_history": [
        Case((302, 200, 200, 404, 200, 200), params=EVENT_A),
        Case((302, 404, 404, 200, 200, 200), params=EVENT_B),
    ],
    "staff_events.edit_event": [
        Case((302, 200, 403, 404, 200, 200), params=EVENT_A),
        Case((302, 404, 404, 200, 200, 200), params=EVENT_B),
        Case((302, 302, 403, 404, 302, 302), "POST", EVENT_A, EVENT_EDIT_FORM),
        Case((302, 403, 403, 404, 302, 302), "POST", EVENT_A, EVENT_FORM),
    ],
    "staff_events.publish_event": [
        Case((302, 403, 403, 404, 302, 302), "POST", DRAFT_A),
        Case((302, 404, 404, 403, 302, 302), "POST", EVENT_B),
    ],
    "staff_events.cancel_event": [
        Case((302, 403, 403, 404, 200, 200), params=EVENT_A),
        Case((302, 403, 403, 404, 302, 302), "POST", EVENT_A),
    ],
    "staff_events.duplicate_event": [
        Case((302, 200, 403, 404, 200, 200), params=EVENT_A),
        Case((302, 302, 403, 404, 302, 302), "POST", EVENT_A, {"starts_at": "2031-01-10T09:00"}),
    ],
    "staff_orgs.list_organisations": [Case((302, 200, 200, 200, 200, 200))],
    "staff_orgs.new_organisation": [
        Case((302, 403, 403, 403, 200, 200)),
        Case((302, 403, 403, 403, 302, 302), "POST", data=ORG_FORM),
    ],
    "staff_orgs.edit_organisation": [
        Case((302, 200, 403, 403, 200, 200), params=ORG_A),
        Case((302, 302, 403, 403, 302, 302), "POST", ORG_A, {**ORG_FORM, "name": "Partner A"}),
    ],
    "staff_orgs.members": [Case((302, 200, 403, 403, 200, 200), params=ORG_A)],
    # A new member gets an invitation by mail; the page goes back to the members.
    "staff_orgs.add_member": [
        Case((302, 302, 403, 403, 302, 302), "POST", ORG_A, {"email": "new@a.test", "role": "checkin"}),
    ],
    "staff_orgs.change_member_role": [
        Case((302, 302, 403, 403, 302, 302), "POST", A_CHECKIN, {"m{a_checkin.id}-role": "manager"}),
    ],
    "staff_orgs.remove_member": [Case((302, 302, 403, 403, 302, 302), "POST", A_CHECKIN)],
    # API tokens and settings: the centre's staff only. A new token's page shows it once: 200.
    "staff_api.list_tokens": [Case((302, 403, 403, 403, 200, 200))],
    "staff_api.create_token": [
        Case((302, 403, 403, 403, 200, 200), "POST", data={"organisation": "{org_a.id}", "name": "Site"}),
    ],
    "staff_api.revoke_token": [
        Case((302, 403, 403, 403, 302, 302), "POST", {"token_id": "{token_a.id}"}),
    ],
    "staff_api.save_settings": [
        Case((302, 403, 403, 403, 302, 302), "POST", data={"partner_may_publish": "y"}),
    ],
    # The outbox: the centre's staff only; partners never see anyone's mail.
    # Everyone with a role keeps a secret feed of their own events; a bad token is a 404.
    "ical.staff_calendar": [Case((302, 200, 200, 200, 200, 200))],
    "ical.create_staff_feed": [Case((302, 302, 302, 302, 302, 302), "POST")],
    "ical.revoke_staff_feed": [Case((302, 302, 302, 302, 302, 302), "POST")],
    "ical.staff_feed": [Case((404, 404, 404, 404, 404, 404), params={"token": "not-a-token"})],
    # Participants: centre staff and the managers of the event's partners; check-in members
    # may not (403), another partner's manager does not even see the event (404).
    "staff_registrations.list_registrations": [
        Case((302, 200, 403, 404, 200, 200), params=EVENT_A),
        Case((302, 404, 404, 200, 200, 200), params=EVENT_B),
    ],
    "staff_registrations.export_csv": [Case((302, 200, 403, 404, 200, 200), params=EVENT_A)],
    "staff_registrations.export_xlsx": [Case((302, 200, 403, 404, 200, 200), params=EVENT_A)],
    "staff_registrations.add_registration": [
        Case((302, 200, 403, 404, 200, 200), params=EVENT_A),
        Case((302, 302, 403, 404, 302, 302), "POST", EVENT_A, REGISTRANT_FORM),
    ],
    "staff_registrations.cancel_registration": [
        Case((302, 200, 403, 404, 200, 200), params=REGISTRATION_A),
        Case((302, 302, 403, 404, 302, 302), "POST", REGISTRATION_A),
    ],
    "staff_registrations.confirm_registration": [
        Case((302, 302, 403, 404, 302, 302), "POST", REGISTRATION_A),
    ],
    "staff_registrations.edit_registration": [
        Case((302, 200, 403, 404, 200, 200), params=REGISTRATION_A),
        Case((302, 302, 403, 404, 302, 302), "POST", REGISTRATION_A, REGISTRANT_FORM),
    ],
    "staff_registrations.message_registered": [
        Case((302, 200, 403, 404, 200, 200), params=EVENT_A),
        Case((302, 302, 403, 404, 302, 302), "POST", EVENT_A, MESSAGE_FORM),
    ],
    # The event's sign-up questions: whoever may edit the event.
    "staff_registrations.list_questions": [Case((302, 200, 403, 404, 200, 200), params=EVENT_A)],
    "staff_registrations.edit_question": [
        Case((302, 200, 403, 404, 200, 200), params=EVENT_A),
        Case((302, 200, 403, 404, 200, 200), params=QUESTION_A),
        Case((302, 302, 403, 404, 302, 302), "POST", QUESTION_A, QUESTION_FORM),
    ],
    "staff_registrations.delete_question": [
        Case((302, 200, 403, 404, 200, 200), params=QUESTION_A),
        Case((302, 302, 403, 404, 302, 302), "POST", QUESTION_A),
    ],
    "staff_registrations.move_question": [Case((302, 302, 403, 404, 302, 302), "POST", QUESTION_A)],
    # The check-in screen and its JSON: whoever checks people in (check-in members too).
    "checkin_screen.show_screen": [
        Case((302, 200, 200, 404, 200, 200), params=EVENT_A),
        Case((302, 404, 404, 200, 200, 200), params=EVENT_B),
    ],
    "checkin_screen.service_worker": [Case((302, 200, 200, 200, 200, 200))],
    "checkin_screen.checkin_list": [
        Case((302, 200, 200, 404, 200, 200), params=EVENT_A),
        Case((302, 404, 404, 200, 200, 200), params=EVENT_B),
    ],
    "checkin_screen.search": [
        Case((302, 200, 200, 404, 200, 200), params={**EVENT_A, "q": "Dupont"}),
        Case((302, 404, 404, 200, 200, 200), params={**EVENT_B, "q": "Dupont"}),
    ],
    "checkin_screen.counters": [
        Case((302, 200, 200, 404, 200, 200), params=EVENT_A),
        Case((302, 404, 404, 200, 200, 200), params=EVENT_B),
    ],
    "checkin_screen.upload_scans": [
        Case((302, 200, 200, 404, 200, 200), "POST", EVENT_A, json=SCAN_A),
        Case((302, 404, 404, 200, 200, 200), "POST", EVENT_B, json=SCAN_A),
    ],
    # No check-in to take back in the world: reaching the check answers 422.
    "checkin_screen.undo": [
        Case((302, 422, 422, 404, 422, 422), "POST", EVENT_A, json=UNDO_NOTHING),
    ],
    "checkin_screen.walk_in": [
        Case((302, 200, 200, 404, 200, 200), "POST", EVENT_A, json=WALK_IN),
        Case((302, 404, 404, 200, 200, 200), "POST", EVENT_B, json=WALK_IN),
    ],
    # Attendance: as the participants; the sheet to print also for the check-in members, who
    # stand at the door with it (names and organisations only).
    "staff_checkin.attendance": [
        Case((302, 200, 403, 404, 200, 200), params=EVENT_A),
        Case((302, 404, 404, 200, 200, 200), params=EVENT_B),
    ],
    "staff_checkin.export_csv": [Case((302, 200, 403, 404, 200, 200), params=EVENT_A)],
    "staff_checkin.export_xlsx": [Case((302, 200, 403, 404, 200, 200), params=EVENT_A)],
    # Who has not come in yet: for whoever checks people in at the event.
    "staff_checkin.not_arrived": [
        Case((302, 200, 200, 404, 200, 200), params=EVENT_A),
        Case((302, 404, 404, 200, 200, 200), params=EVENT_B),
    ],
    "staff_checkin.attendance_sheet": [
        Case((302, 200, 200, 404, 200, 200), params=EVENT_A),
        Case((302, 404, 404, 200, 200, 200), params=EVENT_B),
    ],
    # Outcomes: the centre's staff manage them all; a partner's manager reads the start-ups
    # founded by people who attended its events (B's are 404 to A), nothing else (403).
    "outcomes_records.list_startups": [Case((302, 200, 403, 200, 200, 200))],
    "outcomes_records.show_startup": [
        Case((302, 200, 403, 404, 200, 200), params=STARTUP_A),
        Case((302, 404, 403, 200, 200, 200), params=STARTUP_B),
    ],
    "outcomes_records.edit_startup": [
        Case((302, 403, 403, 403, 200, 200)),
        Case((302, 403, 403, 403, 200, 200), params=STARTUP_A),
        Case((302, 403, 403, 403, 302, 302), "POST", STARTUP_A, STARTUP_FORM),
    ],
    "outcomes_records.add_member": [
        Case((302, 403, 403, 403, 302, 302), "POST", STARTUP_A,
             {"person": "{registration_a.person.email}", "role": "team_member"}),
    ],
    "outcomes_records.remove_member": [
        Case((302, 403, 403, 403, 302, 302), "POST",
             {"startup_id": "{startup_a.id}", "member_id": "{member_a.id}"}),
    ],
    "outcomes_records.record_jobs": [
        Case((302, 403, 403, 403, 302, 302), "POST", STARTUP_A, {"on": "2012-01-01", "headcount": "3"}),
    ],
    "outcomes_records.list_certifications": [Case((302, 403, 403, 403, 200, 200))],
    "outcomes_records.edit_certification": [
        Case((302, 403, 403, 403, 200, 200)),
        Case((302, 403, 403, 403, 200, 200), params=CERTIFICATION),
        Case((302, 403, 403, 403, 302, 302), "POST", CERTIFICATION, CERTIFICATION_FORM),
    ],
    # An upload is its uploader's own: the admin does not see the staff member's (404).
    "outcomes_records.upload_import": [
        Case((302, 403, 403, 403, 200, 200)),
        Case((302, 403, 403, 403, 200, 200), "POST", data={"kind": "startups"}),  # no file
    ],
    "outcomes_records.preview_import": [Case((302, 403, 403, 403, 200, 404), params=UPLOAD)],
    "outcomes_records.confirm_import": [Case((302, 403, 403, 403, 302, 404), "POST", UPLOAD)],
    "outcomes_records.export_table": [
        Case((302, 403, 403, 403, 200, 200), params={"table": "startups", "fmt": "csv"}),
    ],
    "outcomes_records.list_survey_answers": [Case((302, 403, 403, 403, 200, 200))],
    "outcomes_records.review_survey_answer": [
        Case((302, 403, 403, 403, 302, 302), "POST", {"survey_id": "{survey.id}", "decision": "reject"}),
    ],
    # Confirming a survey's proposed founder: the centre's alone (nothing proposed here: 302).
    "outcomes_records.decide_link": [
        Case((302, 403, 403, 403, 302, 302), "POST",
             {"startup_id": "{startup_a.id}", "survey_id": "{survey.id}", "decision": "confirm"}),
    ],
    # With the event's participants; registration_a is waiting, so no certificate (409).
    "outcomes_records.download_certificate": [
        Case((302, 409, 403, 404, 409, 409), params={"registration_id": "{registration_a.id}"}),
    ],
    # Impact: the centre and partners' managers (a partner's covers its own events only,
    # see tests/outcomes/test_views.py); the rule and the targets: the centre only.
    "staff_impact.dashboard": [Case((302, 200, 403, 200, 200, 200))],
    "staff_impact.print_report": [Case((302, 200, 403, 200, 200, 200))],
    "staff_impact.export_csv": [Case((302, 200, 403, 200, 200, 200))],
    "staff_impact.export_xlsx": [Case((302, 200, 403, 200, 200, 200))],
    "staff_impact.list_startups": [Case((302, 200, 403, 200, 200, 200))],
    "staff_impact.list_certifications": [Case((302, 200, 403, 200, 200, 200))],
    "staff_impact.list_people": [Case((302, 200, 403, 200, 200, 200))],
    "staff_impact.save_rule": [Case((302, 403, 403, 403, 302, 302), "POST", data=RULE_FORM)],
    "staff_impact.list_targets": [
        Case((302, 403, 403, 403, 200, 200)),
        Case((302, 403, 403, 403, 302, 302), "POST", data=TARGET_FORM),
    ],
    "staff_impact.edit_target": [
        Case((302, 403, 403, 403, 200, 200), params=TARGET),
        Case((302, 403, 403, 403, 302, 302), "POST", TARGET, TARGET_FORM),
    ],
    "staff_impact.delete_target": [Case((302, 403, 403, 403, 302, 302), "POST", TARGET)],
    "staff_mail.list_messages": [Case((302, 403, 403, 403, 200, 200))],
    "staff_mail.show_message": [Case((302, 403, 403, 403, 200, 200), params=FAILED_MAIL)],
    "staff_mail.preview_message": [Case((302, 403, 403, 403, 200, 200), params=FAILED_MAIL)],
    "staff_mail.resend_message": [Case((302, 403, 403, 403, 302, 302), "POST", FAILED_MAIL)],
    # People (privacy): centre staff only; partners learn nothing, not even that it exists.
    # Applications: centre staff and A's manager review and decide (A's jury members review
    # only: tests/admission); A's check-in member sees the event but not this (403).
    "admission.my_events": [Case((302, 200, 200, 200, 200, 200))],
    "admission.list_applications": [Case((302, 200, 403, 404, 200, 200), params=APP_A)],
    "admission.export_csv": [Case((302, 200, 403, 404, 200, 200), params=APP_A)],
    "admission.export_xlsx": [Case((302, 200, 403, 404, 200, 200), params=APP_A)],
    "admission.show_application": [
        Case((302, 200, 403, 404, 200, 200), params=APPLICATION_A),
        Case((302, 302, 403, 404, 302, 302), "POST", APPLICATION_A, SCORES_A),
    ],
    "admission.decide_application": [
        Case((302, 302, 403, 404, 302, 302), "POST", APPLICATION_A, {"decision": "reject"}),
    ],
    "admission.decide_applications": [
        Case((302, 302, 403, 404, 302, 302), "POST", APP_A,
             {"decision": "waitlist", "ids": "{application_a.id}"}),
    ],
    "admission.accept_top": [Case((302, 302, 403, 404, 302, 302), "POST", APP_A, {"n": "1"})],
    "admission.send_decisions": [Case((302, 302, 403, 404, 302, 302), "POST", APP_A)],
    "admission.review_settings": [
        Case((302, 200, 403, 404, 200, 200), params=APP_A),
        Case((302, 302, 403, 404, 302, 302), "POST", APP_A, {"criteria": "Projet\nImpact"}),
    ],
    "staff_people.list_people": [Case((302, 404, 404, 404, 200, 200))],
    "staff_people.show_person": [Case((302, 404, 404, 404, 200, 200), params=PERSON_A)],
    "staff_people.export_person": [Case((302, 404, 404, 404, 200, 200), params=PERSON_A)],
    "staff_people.anonymise": [
        Case((302, 404, 404, 404, 302, 302), "POST", PERSON_A, {"reason": "matrix"})],
    "staff_people.merge": [
        Case((302, 404, 404, 404, 302, 302), "POST", PERSON_A,
             {"other_id": "{certification.person.id}"})],
    # The controller's records: the same.
    "staff_privacy.records": [Case((302, 404, 404, 404, 200, 200))],
    "staff_privacy.processing_activities": [Case((302, 404, 404, 404, 200, 200))],
    # Programmes: centre staff create, publish and cancel them; a partner's manager views and
    # edits those its organisation co-organises (check-in members never: 404).
    "staff_programmes.list_programmes": [Case((302, 200, 200, 200, 200, 200))],
    "staff_programmes.show_programme": [
        Case((302, 200, 404, 404, 200, 200), params=PROGRAMME_A),
        Case((302, 404, 404, 200, 200, 200), params=PROGRAMME_B),
    ],
    "staff_programmes.new_programme": [
        Case((302, 403, 403, 403, 200, 200)),
        Case((302, 403, 403, 403, 302, 302), "POST", data=PROGRAMME_FORM),
    ],
    "staff_programmes.edit_programme": [
        Case((302, 200, 404, 404, 200, 200), params=PROGRAMME_A),
        Case((302, 302, 404, 404, 302, 302), "POST", PROGRAMME_A, PROGRAMME_FORM),
        # Only the centre chooses who organises: a partner posting co-organisers is refused.
        Case((302, 403, 404, 404, 302, 302), "POST", PROGRAMME_A,
             {**PROGRAMME_FORM, "co_organisers": "{org_a.id}"}),
        # B's manager may not put A's event in B's programme: the form comes back (200).
        Case((302, 404, 404, 200, 200, 200), "POST", PROGRAMME_B,
             {"title_fr": "Parcours de B", "events": ["{event_b.id}", "{event_a.id}"]}),
    ],
    "staff_programmes.publish_programme": [
        Case((302, 403, 404, 404, 302, 302), "POST", DRAFT_PROGRAMME_A),
    ],
    "staff_programmes.cancel_programme": [
        Case((302, 404, 404, 403, 302, 302), "POST", PROGRAMME_B),
    ],
    "staff_programmes.give_seats": [
        Case((302, 302, 404, 404, 302, 302), "POST", WAITING_A),
        Case((302, 404, 404, 302, 302, 302), "POST", WAITING_B),
    ],
    # The exam's result: as giving seats (a waiting entry has none: refused, back to the grid).
    "staff_programmes.record_exam": [
        Case((302, 302, 404, 404, 302, 302), "POST", WAITING_A, {"result": "passed"}),
        Case((302, 404, 404, 302, 302, 302), "POST", WAITING_B, {"result": "passed"}),
    ],
    # Editions of a whole programme: whoever creates programmes (the centre).
    "staff_programmes.new_programme_editions": [
        Case((302, 403, 404, 404, 200, 200), params=PROGRAMME_A),
        Case((302, 404, 404, 403, 200, 200), params=PROGRAMME_B),
        Case((302, 403, 404, 404, 302, 302), "POST", PROGRAMME_A, EDITIONS_FORM),
    ],
    "staff_programmes.new_editions": [
        Case((302, 200, 403, 404, 200, 200), params=EVENT_A),
        Case((302, 302, 403, 404, 302, 302), "POST", EVENT_A, EDITIONS_FORM),
    ],
}  # fmt: skip

# The routes, read from an app that needs no database.
_RULES = {
    rule.endpoint: rule
    for rule in make_app("sqlite://").url_map.iter_rules()
    if rule.rule.startswith("/staff")
}
CASES = [
    pytest.param(endpoint, case, id=f"{endpoint}-{case.method}-{n}")
    for endpoint, cases in EXPECTED.items()
    if endpoint in _RULES
    for n, case in enumerate(cases)
]
SECRETS = ("Boostcamp de A", "Proposition de A", "Boostcamp de B", "Sélection de A",
           "Parcours de A", "Parcours de B")  # titles others must not see


def test_every_staff_route_is_in_the_table():
    missing = [e for e in sorted(_RULES) if e not in EXPECTED]
    assert not missing, "\n".join(
        f"add the expected access for endpoint {e} to EXPECTED in tests/test_permission_matrix.py"
        for e in missing
    )
    gone = [e for e in EXPECTED if e not in _RULES]
    assert not gone, f"these endpoints no longer exist, remove their rows: {gone}"
    for endpoint, rule in _RULES.items():
        methods = rule.methods & {"GET", "POST"}
        checked = {case.method for case in EXPECTED[endpoint]}
        assert methods <= checked, f"add a {sorted(methods - checked)} Case for endpoint {endpoint}"


def build_world() -> dict:
    centre = make_centre("MIC Mons")
    org_a, org_b = make_org("Partner A"), make_org("Partner B")
    people = {
        "a_manager": make_user("manager@a.test", org=org_a, org_role=MemberRole.MANAGER),
        "a_checkin": make_user("checkin@a.test", org=org_a, org_role=MemberRole.CHECKIN),
        "b_manager": make_user("manager@b.test", org=org_b, org_role=MemberRole.MANAGER),
        "staff": make_user("staff@mic.test", role=StaffRole.STAFF),
        "admin": make_user("admin@mic.test", role=StaffRole.ADMIN),
    }
    event_a = make_event(host=centre, co_organisers=[org_a], title="Boostcamp de A")
    event_b = make_event(host=centre, co_organisers=[org_b], title="Boostcamp de B")
    draft_a = editing.create_event(
        title="Proposition de A", kind=EventKind.WORKSHOP, city="Mons", host=centre,
        starts_at=at(2030, 6, 3, 18), ends_at=at(2030, 6, 3, 21), co_organisers=[org_a],
        status=EventStatus.DRAFT, user=people["a_manager"],
    )  # fmt: skip
    token_a, _secret = api_services.create_token(org_a, "Site web")
    failed_mail = OutboxMessage(
        kind="registration_confirmed", to_address="lea@example.be", subject="Votre place",
        body_text="Bonjour", body_html="<p>Bonjour</p>", message_id="<matrix@boostcamp.test>",
        status=OutboxStatus.FAILED,
    )  # fmt: skip
    db.session.add(failed_mail)
    db.session.commit()
    registration_a = make_registration(event_a, status=RegistrationStatus.WAITLISTED)
    question_a = make_question(event_a, "Votre projet ?")
    app_event_a = make_event(host=centre, co_organisers=[org_a], title="Sélection de A",
                             admission="application", capacity=5)  # fmt: skip
    application_a = make_registration(app_event_a, status=RegistrationStatus.APPLIED)
    review_settings.save_settings(app_event_a, labels=["Projet"], blind_review=False,
                            hold_decisions=False)  # fmt: skip
    (criterion_a,) = review_settings.criteria(app_event_a)
    target = targets.create_target(label="Start-ups", metric="startups", value=30,
                                    period_from=date(2008, 1, 1), period_to=date(2011, 12, 31))  # fmt: skip
    db.session.commit()
    programme_a = make_programme([event_a], host=centre, co_organisers=[org_a], title="Parcours de A")
    draft_programme_a = make_programme([event_a], host=centre, co_organisers=[org_a],
                                       title="Parcours de A en brouillon", status=EventStatus.DRAFT)
    programme_b = make_programme([event_b], host=centre, co_organisers=[org_b], title="Parcours de B")
    waiting_a, waiting_b = (
        ProgrammeRegistration(programme=p, person=make_person(), status="waitlisted")
        for p in (programme_a, programme_b)
    )
    db.session.add_all([waiting_a, waiting_b])
    db.session.commit()
    return dict(programme_a=programme_a, waiting_a=waiting_a, waiting_b=waiting_b, draft_programme_a=draft_programme_a,
                programme_b=programme_b, target=target, centre=centre, org_a=org_a, org_b=org_b, event_a=event_a, event_b=event_b,
                draft_a=draft_a, token_a=token_a, failed_mail=failed_mail,
                registration_a=registration_a, question_a=question_a, app_event_a=app_event_a,
                application_a=application_a, criterion_a=criterion_a, **people,
                **build_outcomes(event_a, event_b, people["staff"]))  # fmt: skip


def build_outcomes(event_a, event_b, staff) -> dict:
    founder_a, founder_b = make_person(), make_person()
    make_check_in(make_registration(event_a, founder_a))
    make_check_in(make_registration(event_b, founder_b))
    startup_a = make_startup("Start-up de A", founders=[founder_a])
    startup_b = make_startup("Start-up de B", founders=[founder_b])
    upload = ImportUpload(kind=ImportKind.STARTUPS, filename="s.csv", user_id=staff.id,
                          content=b"name;founded_on\nMatrice;2012-01-01\n")  # fmt: skip
    survey = FollowupSurvey(person=founder_a, event=event_a, months=6, answered_at=utcnow(),
                            answers={"started_company": False}, review=SurveyReview.PENDING)  # fmt: skip
    db.session.add_all([upload, survey])
    db.session.commit()
    return dict(startup_a=startup_a, startup_b=startup_b, member_a=startup_a.members[0],
                certification=make_certification(founder_a), upload=upload, survey=survey)  # fmt: skip


def fill(value, world: dict):
    if isinstance(value, dict):
        return {fill(k, world): fill(v, world) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, world) for v in value]
    if isinstance(value, str):
        return value.format(**world)
    return value


def status_for(app, world: "World", actor: str, endpoint: str, case: Case):
    """What the actor gets; a wrong redirect or a leaked title is reported as such."""
    client = app.test_client()
    if actor != "anonymous":  # signed in as the world was built (sign_in_everyone)
        cookie = world.cookies[actor]
        client.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    params, data, json = world.filled[id(case)]
    url = url_for(endpoint, **params)
    if json is not None:
        response = client.open(url, method=case.method, json=json)
    else:
        response = client.open(url, method=case.method, data=data)
    if actor == "anonymous" and response.status_code == 302:
        if not response.location.startswith("/auth/login"):
            return f"302 to {response.location}"
    if response.status_code in (403, 404):
        body = response.get_data(as_text=True)
        leaked = [title for title in SECRETS if title in body]
        if leaked:
            return f"{response.status_code} showing {leaked}"
    return response.status_code


# The world is built once per engine and process, then copied back row by row before each
# test and after each action that may have changed it: building it (30 factories, a dozen
# commits) cost ~150 ms, six times for an action; copying its rows back costs a few ms.
NOT_COPIED = {"impact_version"}  # a counter of writes: the rows put back bump it themselves


@dataclass
class World:
    rows: dict[str, list[dict]]  # every row of every table, as built
    cookies: dict  # actor → session cookie, signed in once (their tokens are in the rows)
    filled: dict[int, tuple]  # id(case) → its params, data and json with the world's values


_worlds: dict[str, World] = {}  # one per engine's database


def copy_of_rows() -> dict[str, list[dict]]:
    db.session.rollback()
    with db.engine.connect() as conn:
        return {t.name: [dict(r) for r in conn.execute(t.select()).mappings()]
                for t in db.metadata.sorted_tables if t.name not in NOT_COPIED}  # fmt: skip


class Writes:
    """Whether anything was written since the world was put back: a case that wrote nothing
    (a page, a refusal that records none) leaves it as it was, and it is not put back again."""

    count = 0

    @classmethod
    def seen(cls, conn, cursor, statement, *args) -> None:
        if not statement.lstrip().upper().startswith(("SELECT", "BEGIN", "SAVEPOINT",
                                                      "RELEASE", "ROLLBACK", "PRAGMA")):
            cls.count += 1


def put_back(rows: dict[str, list[dict]]) -> None:
    """The world's rows as they were built (same ids: sequences moved on past them)."""
    if not sa.event.contains(db.engine, "before_cursor_execute", Writes.seen):
        sa.event.listen(db.engine, "before_cursor_execute", Writes.seen)
    elif Writes.count == 0:
        return
    clear_tables()
    with db.engine.begin() as conn:
        for table in db.metadata.sorted_tables:
            if rows.get(table.name):
                conn.execute(table.insert(), rows[table.name])
    Writes.count = 0


def sign_in_everyone(app, world: dict) -> dict:
    """Each actor's session cookie, signed in through the form."""
    cookies = {}
    for actor in ACTORS[1:]:
        client = app.test_client()
        response = client.post("/auth/login", data={"email": world[actor].email,
                                                    "password": PASSWORD})  # fmt: skip
        assert response.status_code == 302 and not response.location.startswith("/auth")
        cookies[actor] = client.get_cookie(app.config["SESSION_COOKIE_NAME"],
                                           domain=app.config["SERVER_NAME"])  # fmt: skip
    return cookies


def fresh_world(app, database_url: str) -> World:
    world = _worlds.get(database_url)
    if world is None:
        built = build_world()
        cookies = sign_in_everyone(app, built)
        filled = {id(case): (fill(case.params, built), fill(case.data, built),
                             fill(case.json, built))
                  for cases in EXPECTED.values() for case in cases}  # fmt: skip
        world = _worlds[database_url] = World(copy_of_rows(), cookies, filled)
    else:
        put_back(world.rows)
    return world


@pytest.mark.parametrize("endpoint, case", CASES)
def test_access(app, database_url, endpoint, case):
    got = {}
    world = fresh_world(app, database_url)
    for n, actor in enumerate(ACTORS):
        if n and case.method != "GET":  # an action changed the world: start again
            world = fresh_world(app, database_url)
        got[actor] = status_for(app, world, actor, endpoint, case)
    assert got == dict(zip(ACTORS, case.expect))


def test_the_world_put_back_is_the_world_built(app, database_url):
    """What every case starts from: every row the factories wrote, as they wrote it."""
    world = fresh_world(app, database_url)
    assert copy_of_rows() == world.rows
    titles = {row["title"] for row in world.rows["event"]}
    assert sum(map(len, world.rows.values())) > 50 and "Boostcamp de A" in titles
