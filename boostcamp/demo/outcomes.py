"""Demo outcomes: who came to the past events (check-ins), the start-ups their founders
created, their jobs, and the certifications people obtained after a training.

The press article gives the centre's results for 2008–2011: 30 start-ups and 250 jobs
created, 1,112 certifications delivered, and a target of 300 jobs for 2012–2014. The demo
does not store those totals: it plants outcomes that the attribution rule (with its default
settings) credits to the events, so the impact dashboard counts exactly those figures from
the seeded attendance. A few outcomes no event may claim are added too: founders and holders
who never attended anything.

Like data.py, the whole plan is drawn from a seeded random.Random; rows are looked up by
natural keys (check-in nonces, start-up names, holder + code + date, target labels) and only
missing ones are written, in bulk.
"""

import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta, timezone
from decimal import Decimal

import sqlalchemy as sa

from boostcamp.checkin.models import CheckIn, CheckInKind, CheckInMethod
from boostcamp.events.models import Event, EventKind
from boostcamp.core.extensions import db
from boostcamp.outcomes.impact.models import ImpactMetric, ImpactTarget
from boostcamp.outcomes.records.models import (
    Certification,
    JobsSnapshot,
    Startup,
    StartupMember,
    StartupRole,
    StartupStatus,
)
from boostcamp.registrations.models import Person, Profile, Registration, RegistrationStatus

RANDOM_SEED = 2012  # the new funding period
PRESS_PERIOD = (date(2008, 1, 1), date(2011, 12, 31))
TARGET_PERIOD = (date(2012, 1, 1), date(2014, 12, 31))
PRESS_STARTUPS, PRESS_JOBS, PRESS_CERTIFICATIONS = 30, 250, 1112
# 2012–2014, on the way to the 300 jobs promised.
LATER_STARTUPS, LATER_JOBS, LATER_CERTIFICATIONS = 16, 184, 520
TARGETS = [
    ("Emplois créés par les start-ups accompagnées, 2012–2014", ImpactMetric.JOBS, 300,
     *TARGET_PERIOD),
    ("Start-ups créées, 2012–2014", ImpactMetric.STARTUPS, 30, *TARGET_PERIOD),
    ("Certifications délivrées, 2012–2014", ImpactMetric.CERTIFICATIONS, 1000, *TARGET_PERIOD),
]  # fmt: skip
TRAINING_KINDS = (EventKind.TRAINING, EventKind.BOOSTCAMP, EventKind.WORKSHOP)
METHODS = (CheckInMethod.SCAN, CheckInMethod.SCAN, CheckInMethod.SEARCH)  # mostly QR tickets
LEGAL_FORMS = ("SPRL", "SPRL", "SPRL", "SA", "SCRL", "SPRL-S", "personne physique")
SECTORS = ("Logiciel", "Web et mobile", "Jeux vidéo", "Services informatiques", "E-commerce",
           "Cleantech", "Santé", "Tourisme", "Industrie")  # fmt: skip
# Extra Microsoft exams people took after a training, beyond its own (by year).
EXTRA_EXAMS = [
    ("Microsoft Office Specialist Word 2007", "77-601", range(2008, 2011)),
    ("Microsoft Office Specialist Excel 2007", "77-602", range(2008, 2011)),
    ("Microsoft Office Specialist PowerPoint 2007", "77-603", range(2008, 2011)),
    ("Microsoft Office Specialist Outlook 2007", "77-604", range(2008, 2011)),
    ("Microsoft Office Specialist Word 2010", "77-881", range(2011, 2015)),
    ("Microsoft Office Specialist Excel 2010", "77-882", range(2011, 2015)),
    ("Microsoft Office Specialist PowerPoint 2010", "77-883", range(2011, 2015)),
    ("Windows Vista, configuration", "70-620", range(2008, 2010)),
    ("Windows 7, configuration", "70-680", range(2010, 2015)),
    ("Windows Server 2008 Active Directory", "70-640", range(2008, 2013)),
    ("Windows Server 2008 Network Infrastructure", "70-642", range(2008, 2013)),
    ("SQL Server 2008, administration", "70-432", range(2009, 2013)),
    (".NET Framework, fondamentaux", "70-536", range(2008, 2011)),
    ("ASP.NET 3.5, applications web", "70-562", range(2008, 2012)),
    ("MTA, fondamentaux du développement logiciel", "98-361", range(2011, 2015)),
    ("MTA, fondamentaux des réseaux", "98-366", range(2011, 2015)),
    ("Programmer en C#", "70-483", range(2012, 2015)),
    ("Interroger SQL Server 2012", "70-461", range(2013, 2015)),
    ("Windows Server 2012, installation et configuration", "70-410", range(2013, 2015)),
]


@dataclass
class Attendance:
    person_id: int
    event: Event
    day: date  # the event's day, as the rule reads it (UTC)
    profile: Profile
    organisation_name: str | None
    qualifies: bool  # checked in to at least half of the sessions
    follows: str | None = None


@dataclass
class Plan:
    check_ins: list[dict] = field(default_factory=list)
    attendances: list[Attendance] = field(default_factory=list)


def seed(planned_events, events: dict[str, Event], people: dict[str, Person]) -> Counter:
    """Add the missing outcomes of the past demo events. Flushes; the caller commits."""
    rng = random.Random(RANDOM_SEED)
    added: Counter[str] = Counter()
    plan = _attendance(rng, planned_events, events, people, _registration_ids(events))
    _write_check_ins(plan.check_ins, added)
    startups = _plan_startups(rng, plan.attendances, people)
    _write_startups(startups, added)
    certifications = _plan_certifications(rng, plan.attendances, people)
    _write_certifications(certifications, added)
    _write_targets(added)
    db.session.flush()
    return added


def _nonce(*parts) -> str:
    return "demo-" + hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:40]


def _day(event: Event) -> date:
    return event.starts_at.astimezone(timezone.utc).date()


# ---------------------------------------------------------------- who came


def _attendance(rng, planned_events, events, people, registration_ids) -> Plan:
    """Most confirmed participants came to every session; some left early, a few never
    came. Returns the check-in rows and what the rule will make of them."""
    plan = Plan()
    past = sorted((p for p in planned_events if not p.upcoming and p.registrations),
                  key=lambda p: (p.starts_at, p.slug))  # fmt: skip
    for planned in past:
        event = events[planned.slug]
        sessions = list(event.sessions) or [None]
        for r in sorted(planned.registrations, key=lambda r: r.person.email):
            if r.status != RegistrationStatus.CONFIRMED:
                continue
            draw = rng.random()
            if draw < 0.07:
                continue  # registered, never came
            came = sessions
            if draw < 0.13 and len(sessions) > 2:
                came = sessions[: rng.randint(1, (len(sessions) - 1) // 2)]  # left early
            person = people[r.person.email]
            registration_id = registration_ids[(event.id, person.id)]
            for n, session in enumerate(came):
                start = session.starts_at if session is not None else event.starts_at
                plan.check_ins.append(dict(
                    nonce=_nonce(planned.slug, r.person.email, n),
                    kind=CheckInKind.ENTRY, counted=True, registration_id=registration_id,
                    session_id=session.id if session is not None else None,
                    method=rng.choice(METHODS),
                    scanned_at=start - timedelta(minutes=rng.randint(-20, 25)),
                    received_at=start + timedelta(minutes=30), device="demo",
                ))  # fmt: skip
            plan.attendances.append(Attendance(
                person.id, event, _day(event), r.profile, r.organisation_name,
                qualifies=len(came) * 100 >= 50 * len(sessions), follows=planned.follows,
            ))  # fmt: skip
    return plan


def _registration_ids(events: dict[str, Event]) -> dict[tuple[int, int], int]:
    rows = db.session.execute(
        sa.select(Registration.event_id, Registration.person_id, Registration.id)
        .where(Registration.event_id.in_([e.id for e in events.values()]))
    )
    return {(event_id, person_id): id_ for event_id, person_id, id_ in rows}


def _write_check_ins(rows: list[dict], added: Counter) -> None:
    existing = set(db.session.scalars(sa.select(CheckIn.nonce).where(CheckIn.nonce.like("demo-%"))))
    new = [row for row in rows if row["nonce"] not in existing]
    for start in range(0, len(new), 1000):
        db.session.execute(sa.insert(CheckIn), new[start : start + 1000])
    added["check-ins"] += len(new)


# ---------------------------------------------------------------- start-ups and their jobs


@dataclass
class PlannedStartup:
    name: str
    founded_on: date
    founders: list[int]
    team: list[int]
    jobs: list[tuple[date, int]]  # (day, headcount)
    legal_form: str
    sector: str
    city: str
    enterprise_number: str
    status: StartupStatus = StartupStatus.ACTIVE
    status_since: date | None = None
    supported_from: date | None = None
    supported_until: date | None = None


def _split(rng, total: int, n: int) -> list[int]:
    """n headcounts of 1 or more that add up to total, some small, a few large."""
    counts = [rng.choice((1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20)) for _ in range(n)]
    while sum(counts) != total:
        i = rng.randrange(n)
        if sum(counts) < total:
            counts[i] += 1
        elif counts[i] > 1:
            counts[i] -= 1
    return counts


def _enterprise_number(rng, taken: set[str]) -> str:
    """Ten digits as the KBO/BCE gives them: 0800.000.000–0899.999.999 around 2008–2014 (the
    leading 0 kept), the last two 97 minus the first eight modulo 97."""
    while True:
        first = 80_000_00 + rng.randrange(1_000_000)  # "0800xxxx" once padded to 8 digits
        number = f"{first:08d}{97 - first % 97:02d}"
        if number not in taken:
            taken.add(number)
            return number


def _startup_name(rng, attendance: Attendance | None, taken: set[str]) -> str:
    from boostcamp.demo.data import PROJECT_WORDS  # data.py imports this module: no cycle at import

    name = (attendance.organisation_name or "") if attendance else ""
    name = name.removesuffix(" SPRL").removesuffix(" SRL").strip()
    while not name or name in taken:
        name = f"{rng.choice(PROJECT_WORDS[0])} {rng.choice(PROJECT_WORDS[1])}"
    taken.add(name)
    return name


def _plan_startups(rng, attendances: list[Attendance], people) -> list[PlannedStartup]:
    person_ids = sorted(p.id for p in people.values())
    attendees = {a.person_id for a in attendances if a.qualifies}
    never_came = [p for p in person_ids if p not in attendees]
    used: set[int] = set()
    names: set[str] = set()
    numbers: set[str] = set()
    planned = []

    def founders_pool(first_day: date, last_day: date) -> list[Attendance]:
        pool = [a for a in attendances if a.qualifies and first_day <= a.day <= last_day]
        entrepreneurs = [a for a in pool if a.profile == Profile.ENTREPRENEUR]
        rng.shuffle(entrepreneurs)
        others = [a for a in pool if a.profile != Profile.ENTREPRENEUR]
        rng.shuffle(others)
        return entrepreneurs + others

    def add(attendance, founded_on, headcount, period_end, founder_ids=None):
        founder = attendance.person_id if attendance else founder_ids[0]
        used.add(founder)
        founders = [founder]
        if rng.random() < 0.4:  # a co-founder who never came
            partner = rng.choice(never_came)
            if partner not in used:
                founders.append(partner)
                used.add(partner)
        team = [p for p in rng.sample(person_ids, rng.randint(0, 2)) if p not in used]
        used.update(team)
        jobs = [(founded_on, min(headcount, rng.randint(1, 2)))] if founded_on < period_end else []
        jobs.append((period_end, headcount))
        supported = attendance is not None and rng.random() < 0.35
        startup = PlannedStartup(
            name=_startup_name(rng, attendance, names), founded_on=founded_on,
            founders=founders, team=team, jobs=jobs, legal_form=rng.choice(LEGAL_FORMS),
            sector=rng.choice(SECTORS), city=attendance.event.city if attendance else "Mons",
            enterprise_number=_enterprise_number(rng, numbers),
            supported_from=founded_on if supported else None,
            supported_until=founded_on + timedelta(days=540) if supported else None,
        )  # fmt: skip
        planned.append(startup)
        return startup

    # 2008–2011: the press article's 30 start-ups and 250 jobs, founded 3 weeks to 20
    # months after an event one of their founders attended.
    start, end = PRESS_PERIOD
    pool = founders_pool(start, end - timedelta(days=21))
    chosen = []
    for attendance in pool:
        if attendance.person_id not in used and len(chosen) < PRESS_STARTUPS:
            used.add(attendance.person_id)
            chosen.append(attendance)
    for attendance, headcount in zip(chosen, _split(rng, PRESS_JOBS, PRESS_STARTUPS), strict=True):
        founded_on = min(attendance.day + timedelta(days=rng.randint(21, 600)), end)
        startup = add(attendance, founded_on, headcount, end)
        # Later years: most grow, two close, one is bought.
        for year in (2012, 2013, 2014):
            headcount = max(headcount + rng.randint(-1, 3), 1)
            startup.jobs.append((date(year, 12, 31), headcount))
    later_years = ((3, StartupStatus.CLOSED, date(2013, 6, 30)),
                   (11, StartupStatus.CLOSED, date(2014, 3, 31)),
                   (20, StartupStatus.ACQUIRED, date(2014, 9, 1)))  # fmt: skip
    for n, status, since in later_years:
        startup = planned[n]
        startup.status, startup.status_since = status, since
        if status == StartupStatus.CLOSED:  # its last count says no one works there any more
            startup.jobs = [j for j in startup.jobs if j[0] < since] + [(since, 0)]

    # 2012–2014: on the way to the 300 jobs promised.
    start, end = TARGET_PERIOD
    chosen = []
    for attendance in founders_pool(date(2010, 6, 1), end - timedelta(days=21)):
        earliest = max(attendance.day + timedelta(days=21), start)
        latest = min(attendance.day + timedelta(days=600), end)
        if attendance.person_id not in used and earliest <= latest and len(chosen) < LATER_STARTUPS:
            used.add(attendance.person_id)
            chosen.append((attendance, earliest, latest))
    for (attendance, earliest, latest), headcount in zip(
        chosen, _split(rng, LATER_JOBS, LATER_STARTUPS), strict=True
    ):
        founded_on = earliest + timedelta(days=rng.randint(0, (latest - earliest).days))
        add(attendance, founded_on, headcount, end)

    # Recorded, but no event may claim them: their founders never attended anything.
    for founded_on in (date(2009, 4, 1), date(2010, 11, 15), date(2011, 5, 2), date(2013, 2, 1)):
        founder = next(p for p in rng.sample(never_came, len(never_came)) if p not in used)
        add(None, founded_on, rng.randint(1, 4), founded_on, founder_ids=[founder])
    return planned


def _fte(headcount: int) -> Decimal:
    """Beyond the founders, some work part-time."""
    return Decimal(headcount) * Decimal("0.9") if headcount > 2 else Decimal(headcount)


def _write_startups(planned: list[PlannedStartup], added: Counter) -> None:
    existing = set(db.session.scalars(sa.select(Startup.name)))
    for p in planned:
        if p.name in existing:
            continue
        startup = Startup(
            name=p.name, enterprise_number=p.enterprise_number, founded_on=p.founded_on,
            legal_form=p.legal_form, sector=p.sector, city=p.city, status=p.status,
            status_since=p.status_since, supported_from=p.supported_from,
            supported_until=p.supported_until,
            website=f"https://www.{p.name.lower().replace(' ', '-')}.example",
        )  # fmt: skip
        startup.members = [
            StartupMember(person_id=person_id, role=StartupRole.FOUNDER, started_on=p.founded_on)
            for person_id in p.founders
        ] + [
            StartupMember(person_id=person_id, role=StartupRole.TEAM_MEMBER)
            for person_id in p.team
        ]  # fmt: skip
        startup.snapshots = [
            JobsSnapshot(on=day, headcount=headcount, fte=_fte(headcount))
            for day, headcount in sorted(dict(p.jobs).items())
        ]  # fmt: skip
        db.session.add(startup)
        added["start-ups"] += 1


# ---------------------------------------------------------------- certifications


def _plan_certifications(rng, attendances: list[Attendance], people) -> list[dict]:
    from boostcamp.demo.data import CERTIFICATIONS  # data.py imports this module: no cycle at import

    exams = {a.follows: a.event for a in attendances if a.follows}  # training slug → its exam
    trained = [a for a in attendances if a.qualifies and a.event.kind in TRAINING_KINDS]
    holders_ever = {a.person_id for a in trained}
    never_trained = sorted(p.id for p in people.values() if p.id not in holders_ever)
    planned: list[dict] = []
    held: set[tuple[int, str]] = set()

    def add(person_id, name, code, day, exam=None) -> bool:
        if (person_id, code) in held:
            return False
        held.add((person_id, code))
        planned.append(dict(person_id=person_id, name=name, code=code, issuer="Microsoft",
                            obtained_on=day, exam_event_id=exam.id if exam else None))  # fmt: skip
        return True

    for (start, end), target in ((PRESS_PERIOD, PRESS_CERTIFICATIONS),
                                 (TARGET_PERIOD, LATER_CERTIFICATIONS)):  # fmt: skip
        first_day, last_day = start - timedelta(days=300), end - timedelta(days=7)
        pool = [a for a in trained if first_day <= a.day <= last_day]
        count = 0
        # Most trainees pass the exam of their training, at the session that follows it.
        for a in pool:
            exam = exams.get(a.event.slug)
            cert = next(
                (c for c in CERTIFICATIONS if a.event.slug.startswith(f"formation-{c.stem}-")), None
            )
            if exam is None or cert is None or rng.random() > 0.85 or count >= target:
                continue
            day = _day(exam)
            if start <= day <= end and (day - a.day).days <= 330:
                count += add(a.person_id, cert.name, cert.code.split(",")[0], day, exam)
        # Others go on to more exams within the year after a training, Boostcamp or workshop.
        while count < target:
            a = rng.choice(pool)
            earliest = max(a.day + timedelta(days=7), start)
            latest = min(a.day + timedelta(days=330), end)
            if earliest > latest:
                continue
            day = earliest + timedelta(days=rng.randint(0, (latest - earliest).days))
            name, code = rng.choice([(n, c) for n, c, years in EXTRA_EXAMS if day.year in years])
            count += add(a.person_id, name, code, day)
    # Delivered, but no training may claim them: their holders never followed one.
    for day in (date(2009, 6, 12), date(2010, 3, 3), date(2010, 10, 20), date(2011, 2, 8),
                date(2011, 9, 27), date(2013, 5, 14)):  # fmt: skip
        for person_id in rng.sample(never_trained, 4):
            name, code = rng.choice([(n, c) for n, c, years in EXTRA_EXAMS if day.year in years])
            add(person_id, name, code, day)
    return planned


def _write_certifications(planned: list[dict], added: Counter) -> None:
    existing = {tuple(row) for row in db.session.execute(
        sa.select(Certification.person_id, Certification.code, Certification.obtained_on)
    )}  # fmt: skip
    new = [p for p in planned if (p["person_id"], p["code"], p["obtained_on"]) not in existing]
    for start in range(0, len(new), 1000):
        db.session.execute(sa.insert(Certification), new[start : start + 1000])
    added["certifications"] += len(new)


def _write_targets(added: Counter) -> None:
    existing = set(db.session.scalars(sa.select(ImpactTarget.label)))
    for label, metric, value, period_from, period_to in TARGETS:
        if label not in existing:
            db.session.add(ImpactTarget(label=label, metric=metric, value=value,
                                        period_from=period_from, period_to=period_to))  # fmt: skip
            added["targets"] += 1
