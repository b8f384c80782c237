"""The demo's application-only Boostcamp: Mind & Market's Boostcamp in Louvain-la-Neuve takes
applications (boostcamp.admission). Its registrations become applications with answers to
its question, and two jury members have scored most of them, so that a newcomer can apply,
score as jury@mind-and-market.example and accept the best in one click as staff.

Found again by its slug: once the event takes applications, seeding again changes nothing."""

import random
from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from boostcamp.admission import review_settings
from boostcamp.admission.models import Review, ReviewScore
from boostcamp.auth.models import User
from boostcamp.events.models import Admission, Event
from boostcamp.core.extensions import db
from boostcamp.registrations.models import (
    EventQuestion,
    QuestionKind,
    Registration,
    RegistrationAnswer,
    RegistrationStatus,
)

SLUG = "boostcamp-louvain-la-neuve-mind-and-market"
JURY = ("jury@mind-and-market.example", "manager@mind-and-market.example")
QUESTION = "Votre projet en quelques lignes"
PROJECTS = (
    "Une application qui met en relation producteurs locaux et cantines scolaires.",
    "Un service de réparation de vélos à domicile pour les navetteurs.",
    "Une plateforme de location d'outils entre voisins.",
    "Un atelier de couture qui recycle les invendus textiles.",
    "Un outil de planification pour les petites associations sportives.",
    "Des boîtes repas zéro déchet livrées aux bureaux du Brabant wallon.",
    "Un chatbot qui aide les indépendants à préparer leur TVA.",
)
# Read by the jury only (EventQuestion.for_reviewers): figures founders would not show to all.
JURY_QUESTION = "Vos besoins de financement et vos premiers chiffres"
FIGURES = ("Aucun chiffre encore, 5 000 € d'économies.",
           "12 clients pilotes, prêt d'honneur demandé.", "Chiffre d'affaires 2026 : 18 000 €.",
           None)  # fmt: skip
CITIES = ("Louvain-la-Neuve", "Wavre", "Ottignies", "Namur", "Bruxelles", "Gembloux", "Liège",
          None)  # fmt: skip
NOTES = ("Projet clair, équipe motivée.", "À creuser : le marché est-il assez grand ?",
         "Très bonne disponibilité.", None, "Idée originale, encore floue.")  # fmt: skip


def seed(events: dict[str, Event], users: dict[str, User], added: Counter) -> None:
    event = events.get(SLUG)
    if event is None or event.admission == Admission.APPLICATION:
        return
    event.admission = Admission.APPLICATION
    event.applications_close_at = event.starts_at - timedelta(days=7)
    question = EventQuestion(event_id=event.id, position=1, label=QUESTION,
                             kind=QuestionKind.LONG_TEXT, required=True)  # fmt: skip
    jury_question = EventQuestion(event_id=event.id, position=2, label=JURY_QUESTION,
                                  kind=QuestionKind.LONG_TEXT, for_reviewers=True)  # fmt: skip
    db.session.add_all([question, jury_question])
    criteria = review_settings.ensure_criteria(event)
    registrations = db.session.scalars(
        sa.select(Registration)
        .where(Registration.event_id == event.id,
               Registration.status != RegistrationStatus.CANCELLED)
        .order_by(Registration.created_at, Registration.id)
    ).all()  # fmt: skip
    chance = random.Random(f"admission-{SLUG}")
    places = random.Random(f"cities-{SLUG}")  # its own: the scores stay as they were
    for n, registration in enumerate(registrations):
        registration.status = RegistrationStatus.APPLIED
        registration.offered_at = registration.offer_expires_at = None
        db.session.add(RegistrationAnswer(registration_id=registration.id,
                                          question_id=question.id,
                                          value=PROJECTS[n % len(PROJECTS)]))  # fmt: skip
        if figures := FIGURES[n % len(FIGURES)]:
            db.session.add(RegistrationAnswer(registration_id=registration.id,
                                              question_id=jury_question.id, value=figures))  # fmt: skip
        registration.city = places.choice(CITIES)
        for reviewer_email, share in zip(JURY, (0.8, 0.5), strict=True):
            if chance.random() > share:
                continue
            talent = chance.randint(1, 5)
            review = Review(registration_id=registration.id, reviewer_id=users[reviewer_email].id,
                            note=chance.choice(NOTES))  # fmt: skip
            review.scores = [
                ReviewScore(criterion_id=c.id, value=min(max(talent + chance.randint(-1, 1), 1), 5))
                for c in criteria
            ]
            db.session.add(review)
            added["reviews"] += 1
    db.session.flush()
