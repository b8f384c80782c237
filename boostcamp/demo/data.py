"""Demo data: the Microsoft Innovation Center in Mons, its partners, seven years of events
(2008–2014), the people who came to them, and a season of upcoming events dated from today.

The whole plan is drawn from one seeded random.Random before the database is touched, so
two databases seeded on the same day hold the same people and events. Rows are then looked
up by their natural keys (slugs, e-mails, event + person) and only the missing ones are
added: seeding again adds nothing. Facts and figures come from a press article about the
centre ("Nouveau bail de 3 ans pour le MIC de Mons"); people and small partners are invented.
"""

from pathlib import Path
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa
from slugify import slugify

from boostcamp.audit.models import AuditEntry
from boostcamp.auth.models import MemberRole, StaffRole, User
from boostcamp.auth.services import add_membership, create_user
from boostcamp.core.zones import DEFAULT_ZONE, zone_of
from boostcamp.demo import admission as demo_admission
from boostcamp.demo import outcomes as demo_outcomes
from boostcamp.core.db import utcnow
from boostcamp.events.models import Audience, Event, EventKind, EventStatus
from boostcamp.events.editing import cancel_event, create_event
from boostcamp.core.extensions import db
from boostcamp.organisations.models import Organisation, OrganisationKind, PlatformType
from boostcamp.organisations.services import create_organisation
from boostcamp.registrations import consents
from boostcamp.programmes import demo as demo_programmes
from boostcamp.registrations.models import (
    Person,
    Profile,
    QuestionKind,
    Registration,
    RegistrationStatus,
    normalise_email,
)
from boostcamp.checkin.models import CheckIn, CheckInMethod
from boostcamp.registrations.models import EventQuestion, RegistrationAnswer, RegistrationSource

BRUSSELS = zone_of(DEFAULT_ZONE)  # the demo centre and its events are in Brussels
RANDOM_SEED = 2008  # the year the centre opened
PAST_YEARS = range(2008, 2015)
CENTRE_OPENED = date(2008, 1, 7)  # nothing, not even a draft, before the centre existed


def has_events() -> bool:
    return db.session.scalar(sa.select(Event.id).limit(1)) is not None


# --- Organisations and accounts -------------------------------------------------------------

CENTRE = "mic-mons"

ORGANISATIONS = [
    dict(
        slug=CENTRE,
        name="Microsoft Innovation Center Mons",
        kind=OrganisationKind.CENTRE,
        city="Mons",
        description=(
            "Créé en 2008 à Mons, le MIC est le premier Microsoft Innovation Center de "
            "Belgique. Dirigé par Ben Piquard, il accompagne les porteurs de projet, les "
            "start-ups, les étudiants et les demandeurs d’emploi : Boostcamps pour futurs "
            "entrepreneurs, formations menant aux certifications Microsoft, sessions "
            "d’examens, ateliers et projets spéciaux. Bilan de ses premières années : "
            "30 start-ups et 250 emplois créés, 1 112 certifications qualifiantes délivrées."
        ),
    ),
    dict(
        slug="mind-and-market",
        name="Mind & Market",
        kind=OrganisationKind.PLATFORM,
        platform_type=PlatformType.INCUBATOR,
        city="Louvain-la-Neuve",
        description=(
            "Plate-forme d’accompagnement de projets innovants à Louvain-la-Neuve, avec "
            "laquelle le MIC a co-organisé ses premiers Boostcamps hors de Mons."
        ),
    ),
    dict(
        slug="namur-coworking",
        name="Le Grenier Coworking Namur",
        kind=OrganisationKind.PLATFORM,
        platform_type=PlatformType.COWORKING,
        city="Namur",
        description=(
            "Espace de coworking au cœur de Namur (organisation fictive) : bureaux partagés, "
            "salles de réunion et une communauté d’indépendants et de jeunes entreprises."
        ),
    ),
    dict(
        slug="liege-competences",
        name="Centre de compétences numériques de Liège",
        kind=OrganisationKind.PLATFORM,
        platform_type=PlatformType.COMPETENCE_CENTRE,
        city="Liège",
        description=(
            "Centre de formation aux métiers du numérique (organisation fictive) pour les "
            "travailleurs, les demandeurs d’emploi et les entreprises de la région liégeoise."
        ),
    ),
    dict(
        slug="microsoft",
        name="Microsoft Belgique",
        kind=OrganisationKind.SPONSOR,
        city="Bruxelles",
        description="Partenaire fondateur du centre, qui a confirmé sa reconduction.",
    ),
    dict(
        slug="hp",
        name="HP",
        kind=OrganisationKind.SPONSOR,
        description="Partenaire technologique du centre depuis ses débuts.",
    ),
    dict(
        slug="mobistar",
        name="Mobistar",
        kind=OrganisationKind.SPONSOR,
        description="Opérateur de téléphonie mobile, partenaire du centre.",
    ),
    dict(
        slug="voo",
        name="VOO",
        kind=OrganisationKind.SPONSOR,
        description="Câblo-opérateur wallon, partenaire du centre.",
    ),
]

# (e-mail, password, name, role at the centre, organisation slug, role there)
STAFF_ACCOUNTS = [
    ("admin@mic-mons.example", "demo-admin", "Claire Dubois", StaffRole.ADMIN, None, None),
    ("staff@mic-mons.example", "demo-staff", "Julien Lambert", StaffRole.STAFF, None, None),
    ("manager@mind-and-market.example", "demo-partner", "Nathalie Renard", None,
     "mind-and-market", MemberRole.MANAGER),
    ("checkin@mind-and-market.example", "demo-checkin", "Kevin Mertens", None,
     "mind-and-market", MemberRole.CHECKIN),
    ("jury@mind-and-market.example", "demo-jury", "Sofia Marchetti", None,
     "mind-and-market", MemberRole.REVIEWER),
    ("manager@namur-coworking.example", "demo-partner", "Aurélie Gilson", None,
     "namur-coworking", MemberRole.MANAGER),
]


@dataclass(frozen=True)
class Place:
    city: str
    venue: str
    address: str


PLACES = {
    CENTRE: Place(
        "Mons", "Microsoft Innovation Center", "Parc Initialis, Boulevard Initialis 1, 7000 Mons"
    ),
    "mind-and-market": Place(
        "Louvain-la-Neuve", "Mind & Market", "Rue Louis de Geer 6, 1348 Louvain-la-Neuve"
    ),
    "namur-coworking": Place("Namur", "Le Grenier Coworking", "Rue des Brasseurs 12, 5000 Namur"),
    "liege-competences": Place(
        "Liège", "Centre de compétences numériques", "Rue Saint-Gilles 120, 4000 Liège"
    ),
}


# --- Catalogue --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Certification:
    stem: str  # for slugs
    name: str
    code: str
    years: range  # when the exam existed: a 2009 training does not prepare for AZ-900
    days: tuple[str, ...]
    pitch: str
    audiences: tuple[Audience, ...] = (Audience.EMPLOYEES, Audience.JOB_SEEKERS)


CERTIFICATIONS = [
    Certification(
        "mos-office-2007", "Microsoft Office Specialist Word et Excel 2007", "77-601, 77-602",
        range(2008, 2011),
        ("Word 2007 : documents professionnels", "Excel 2007 : formules, tableaux et graphiques"),
        "Maîtriser Word et Excel au niveau attendu en entreprise et le prouver par une "
        "certification reconnue.",
    ),
    Certification(
        "mos-office-2010", "Microsoft Office Specialist Excel 2010", "77-882",
        range(2011, 2015),
        ("Formules et fonctions", "Tableaux croisés dynamiques et graphiques"),
        "Excel 2010 de A à Z, avec des exercices tirés de cas réels de PME.",
    ),
    Certification(
        "windows-vista", "Windows Vista, configuration", "70-620", range(2008, 2010),
        ("Installation et mise à niveau", "Réseau, sécurité et maintenance"),
        "Installer, configurer et dépanner des postes de travail sous Windows Vista.",
    ),
    Certification(
        "windows-7", "Windows 7, configuration", "70-680", range(2010, 2014),
        ("Déploiement et migration", "Réseau et accès distant", "Sécurité et dépannage"),
        "Déployer et administrer des postes Windows 7 dans une petite ou moyenne entreprise.",
    ),
    Certification(
        "windows-server-2008-ad", "Windows Server 2008 Active Directory", "70-640",
        range(2008, 2013),
        ("Concevoir un domaine", "Stratégies de groupe", "Sauvegarde et restauration"),
        "Mettre en place et maintenir un annuaire Active Directory.",
    ),
    Certification(
        "windows-server-2012", "Windows Server 2012, installation et configuration", "70-410",
        range(2013, 2015),
        ("Installation et rôles serveur", "Hyper-V et stockage", "Active Directory et DNS"),
        "Le premier pas vers le titre MCSA Windows Server 2012.",
    ),
    Certification(
        "sql-server-2008", "SQL Server 2008, administration", "70-432", range(2009, 2013),
        ("Installation et configuration", "Sauvegardes, sécurité et performances"),
        "Administrer des bases de données SQL Server 2008 au quotidien.",
    ),
    Certification(
        "sql-server-2012", "Interroger SQL Server 2012", "70-461", range(2013, 2015),
        ("Requêtes T-SQL", "Jointures, agrégats et sous-requêtes", "Procédures et transactions"),
        "Écrire des requêtes T-SQL efficaces pour le reporting et les applications.",
    ),
    Certification(
        "dotnet-fondamentaux", ".NET Framework, fondamentaux", "70-536", range(2008, 2011),
        ("Le langage C# et la plate-forme .NET", "Collections, fichiers et sécurité"),
        "Les bases du développement .NET pour les développeurs débutants ou en reconversion.",
        (Audience.EMPLOYEES, Audience.JOB_SEEKERS, Audience.STUDENTS),
    ),
    Certification(
        "csharp", "Programmer en C#", "70-483", range(2012, 2015),
        ("Le langage C#", "Programmation asynchrone et LINQ", "Sécurité et débogage"),
        "Programmer en C# pour le poste de travail, le web et le cloud.",
        (Audience.EMPLOYEES, Audience.JOB_SEEKERS, Audience.STUDENTS),
    ),
    Certification(
        "sharepoint-2010", "SharePoint 2010, configuration", "70-667", range(2010, 2014),
        ("Installation et topologie", "Sites, droits et services"),
        "Déployer SharePoint 2010 pour l’intranet et le travail collaboratif.",
    ),
    Certification(
        "windows-azure", "Développer pour Windows Azure", "70-583", range(2011, 2013),
        ("Le cloud et Windows Azure", "Stockage et bases de données SQL Azure"),
        "Concevoir et déployer ses premières applications dans le cloud de Microsoft.",
        (Audience.EMPLOYEES, Audience.JOB_SEEKERS, Audience.STUDENTS),
    ),
    Certification(
        "azure-solutions", "Développer des solutions Windows Azure", "70-487",
        range(2013, 2015),
        ("Services web et API", "Accès aux données", "Déploiement dans Windows Azure"),
        "Des services web aux applications cloud : ce qu’attendent les employeurs.",
        (Audience.EMPLOYEES, Audience.JOB_SEEKERS, Audience.STUDENTS),
    ),
    Certification(
        "mta-developpement", "MTA, fondamentaux du développement logiciel", "98-361",
        range(2011, 2015),
        ("Algorithmes et programmation orientée objet", "Applications web et bases de données"),
        "Une première certification pour les étudiants et les personnes en reconversion.",
        (Audience.STUDENTS, Audience.JOB_SEEKERS),
    ),
]

# The exams' own (English) names, for the Dutch and English pages: the names above are French.
EXAM_NAMES = {
    "mos-office-2007": "Microsoft Office Specialist Word and Excel 2007",
    "windows-vista": "Windows Vista, Configuring",
    "windows-7": "Windows 7, Configuring",
    "windows-server-2012": "Installing and Configuring Windows Server 2012",
    "sql-server-2008": "SQL Server 2008, Implementation and Maintenance",
    "sql-server-2012": "Querying Microsoft SQL Server 2012",
    "dotnet-fondamentaux": ".NET Framework, Application Development Foundation",
    "csharp": "Programming in C#",
    "sharepoint-2010": "SharePoint 2010, Configuring",
    "windows-azure": "Developing Windows Azure Applications",
    "azure-solutions": "Developing Windows Azure and Web Services",
    "mta-developpement": "MTA: Software Development Fundamentals",
}


def exam_name(cert: Certification) -> str:
    return EXAM_NAMES.get(cert.stem, cert.name)


AZURE_FUNDAMENTALS = Certification(
    "azure-fundamentals", "Azure Fundamentals", "AZ-900", range(2019, 2100),
    ("Concepts du cloud", "Services Azure, sécurité et tarification"),
    "Comprendre le cloud et les services Azure, sans prérequis technique.",
    (Audience.EMPLOYEES, Audience.JOB_SEEKERS, Audience.ENTREPRENEURS),
)
M365_FUNDAMENTALS = Certification(
    "microsoft-365-fundamentals", "Microsoft 365 Fundamentals", "MS-900", range(2019, 2100),
    ("Les services Microsoft 365", "Sécurité, conformité et licences"),
    "Découvrir Microsoft 365 et préparer une première certification reconnue par les "
    "employeurs.",
    (Audience.JOB_SEEKERS,),
)
POWER_BI = Certification(
    "power-bi", "Power BI Data Analyst", "PL-300", range(2021, 2100),
    ("Préparer et modéliser les données", "Visualiser et analyser", "Déployer des rapports"),
    "Transformer les données de son entreprise en tableaux de bord utiles.",
    (Audience.EMPLOYEES, Audience.ENTREPRENEURS),
)


@dataclass(frozen=True)
class Workshop:
    stem: str
    title: str
    summary: str
    points: tuple[str, ...]
    years: range = range(2008, 2100)


WORKSHOPS = [
    Workshop(
        "business-model-canvas", "Atelier business model canvas",
        "Décrire son modèle d’affaires sur une seule page et le confronter aux autres "
        "participants.",
        ("Les neuf blocs du canvas", "Proposition de valeur et segments de clients",
         "Travail en petits groupes sur vos projets"),
    ),
    Workshop(
        "pitch", "Atelier pitch : convaincre en trois minutes",
        "Présenter son projet à un jury, un banquier ou un client, et recevoir un retour "
        "immédiat.",
        ("Structure d’un pitch", "Passage devant le groupe, filmé", "Retours des coachs"),
    ),
    Workshop(
        "financement", "Atelier : financer son projet en Wallonie",
        "Aides publiques, prêts, business angels : qui finance quoi, et comment préparer "
        "son dossier.",
        ("Les aides régionales pour les starters", "Business angels et fonds d’amorçage",
         "Le plan financier qui rassure"),
    ),
    Workshop(
        "propriete-intellectuelle", "Atelier : protéger son idée",
        "Marques, brevets, droits d’auteur et logiciels : les bons réflexes avant d’en parler "
        "à tout le monde.",
        ("Ce qui se protège et ce qui ne se protège pas", "Marques et noms de domaine",
         "Accords de confidentialité"),
    ),
    Workshop(
        "premiers-clients", "Atelier : trouver ses premiers clients",
        "Passer de l’idée aux premières ventes : prospection, prix et premiers contrats.",
        ("Qui sont vos premiers clients ?", "Fixer son prix", "Prospection et suivi"),
    ),
    Workshop(
        "marketing-digital", "Atelier : marketing digital et réseaux sociaux",
        "Se faire connaître en ligne avec peu de moyens : site, réseaux sociaux et "
        "référencement.",
        ("Un site qui convertit", "Facebook, Twitter et LinkedIn pour les PME",
         "Mesurer ce qui marche"),
    ),
    Workshop(
        "lean-startup", "Atelier Lean Startup : tester son marché",
        "Tester une idée auprès de vrais clients avant d’investir : hypothèses, prototypes et "
        "mesures.",
        ("Hypothèses et expériences", "Le produit minimum viable", "Apprendre des chiffres"),
        range(2011, 2100),
    ),
]
WORKSHOP_BY_STEM = {w.stem: w for w in WORKSHOPS}
# The workshops' titles in Dutch and English; their summaries and points below.
WORKSHOP_TITLES = {
    "business-model-canvas": ("Workshop business model canvas", "Business model canvas workshop"),
    "pitch": ("Workshop pitchen: overtuigen in drie minuten",
              "Pitch workshop: convince in three minutes"),
    "financement": ("Workshop: uw project financieren in Wallonië",
                    "Workshop: funding your project in Wallonia"),
    "propriete-intellectuelle": ("Workshop: uw idee beschermen", "Workshop: protecting your idea"),
    "premiers-clients": ("Workshop: uw eerste klanten vinden",
                         "Workshop: finding your first customers"),
    "marketing-digital": ("Workshop: digitale marketing en sociale media",
                          "Workshop: digital marketing and social media"),
    "lean-startup": ("Workshop Lean Startup: uw markt testen",
                     "Lean Startup workshop: testing your market"),
}  # fmt: skip
# (summary, points) of each workshop in Dutch, then in English.
WORKSHOP_TEXTS = {
    "business-model-canvas": (
        ("Uw bedrijfsmodel op één pagina beschrijven en het toetsen aan de andere deelnemers.",
         ("De negen bouwstenen van het canvas", "Waardepropositie en klantsegmenten",
          "Werken in kleine groepen aan uw projecten")),
        ("Describe your business model on a single page and test it against the other "
         "participants.",
         ("The nine blocks of the canvas", "Value proposition and customer segments",
          "Work in small groups on your projects")),
    ),
    "pitch": (
        ("Uw project voorstellen aan een jury, een bankier of een klant, en meteen feedback "
         "krijgen.",
         ("De opbouw van een pitch", "Pitchen voor de groep, gefilmd", "Feedback van de coaches")),
        ("Present your project to a jury, a banker or a customer, and get feedback at once.",
         ("How a pitch is built", "Pitching to the group, filmed", "Feedback from the coaches")),
    ),
    "financement": (
        ("Overheidssteun, leningen, business angels: wie financiert wat, en hoe bereidt u uw "
         "dossier voor?",
         ("Gewestelijke steun voor starters", "Business angels en startfondsen",
          "Een financieel plan dat vertrouwen wekt")),
        ("Public aid, loans, business angels: who funds what, and how to prepare your file.",
         ("Regional aid for starters", "Business angels and seed funds",
          "A financial plan that reassures")),
    ),
    "propriete-intellectuelle": (
        ("Merken, octrooien, auteursrecht en software: de juiste reflexen voor u er met "
         "iedereen over praat.",
         ("Wat u kunt beschermen en wat niet", "Merken en domeinnamen",
          "Geheimhoudingsovereenkomsten")),
        ("Trademarks, patents, copyright and software: the right reflexes before you talk "
         "about it to everyone.",
         ("What can be protected and what cannot", "Trademarks and domain names",
          "Non-disclosure agreements")),
    ),
    "premiers-clients": (
        ("Van het idee naar de eerste verkoop: prospectie, prijs en eerste contracten.",
         ("Wie zijn uw eerste klanten?", "Uw prijs bepalen", "Prospectie en opvolging")),
        ("From the idea to the first sales: prospecting, pricing and first contracts.",
         ("Who are your first customers?", "Setting your price", "Prospecting and follow-up")),
    ),
    "marketing-digital": (
        ("Online bekendheid verwerven met weinig middelen: website, sociale media en "
         "zoekmachineoptimalisatie.",
         ("Een website die klanten oplevert", "Facebook, Twitter en LinkedIn voor kmo's",
          "Meten wat werkt")),
        ("Get known online on a small budget: website, social media and search engines.",
         ("A website that converts", "Facebook, Twitter and LinkedIn for SMEs",
          "Measuring what works")),
    ),
    "lean-startup": (
        ("Een idee testen bij echte klanten voor u investeert: hypotheses, prototypes en "
         "metingen.",
         ("Hypotheses en experimenten", "Het minimaal levensvatbare product",
          "Leren uit de cijfers")),
        ("Test an idea with real customers before investing: hypotheses, prototypes and "
         "measurements.",
         ("Hypotheses and experiments", "The minimum viable product", "Learning from the figures")),
    ),
}  # fmt: skip


def bullets(points) -> str:
    return "\n".join(f"- {p}" for p in points)


# Cities as Dutch speakers in Belgium name them.
DUTCH_CITY = {"Mons": "Bergen", "Namur": "Namen", "Liège": "Luik"}


def translated(nl: dict[str, str], en: dict[str, str]) -> dict[str, dict[str, str]]:
    return {"nl": nl, "en": en}

BOOSTCAMP_DAYS = (
    "De l’idée au projet",
    "Marché, clients et business model",
    "Financement et plan financier",
    "Aspects juridiques et premiers pas",
    "Pitch devant le jury",
)
# The same days in Dutch and English: the agenda reads in the visitor's language.
BOOSTCAMP_DAYS_NL = (
    "Van idee tot project",
    "Markt, klanten en businessmodel",
    "Financiering en financieel plan",
    "Juridische aspecten en eerste stappen",
    "Pitch voor de jury",
)
BOOSTCAMP_DAYS_EN = (
    "From idea to project",
    "Market, customers and business model",
    "Funding and financial plan",
    "Legal matters and first steps",
    "Pitch to the jury",
)

# Boostcamps, trainings and workshops of 2011–2014 run with a partner, in the partner's city:
# the article's "délocalisation", first to Louvain-la-Neuve, then towards Namur and Liège.
PAST_PARTNERS = {
    ("boostcamp", 2011, 1): "mind-and-market",
    ("boostcamp", 2012, 0): "mind-and-market",
    ("workshop", 2012, 0): "mind-and-market",
    ("training", 2013, 1): "namur-coworking",
    ("workshop", 2013, 0): "liege-competences",
    ("boostcamp", 2013, 1): "namur-coworking",
    ("boostcamp", 2014, 0): "liege-competences",
    ("training", 2014, 0): "liege-competences",
    ("workshop", 2014, 1): "namur-coworking",
    ("boostcamp", 2014, 1): "mind-and-market",
}


# --- People -------------------------------------------------------------------------------------

# Mons and the Borinage: mostly Walloon names, a strong Italian-Belgian community, Flemish
# colleagues, and families from Morocco, Turkey and Congo.
NAMES = {
    "walloon": (
        0.58,
        "Marie Lucas Camille Louis Emma Nathan Julie Thomas Laura Maxime Sarah Antoine Élise "
        "Arnaud Céline Jérôme Nicolas Sophie Julien Aurélie Olivier Catherine Benoît Isabelle "
        "Guillaume Manon Hugo Chloé Simon Pauline Quentin Mathilde Romain Charlotte François "
        "Valérie Christophe Nathalie Philippe Anne Grégory Stéphanie Sébastien Delphine Cédric "
        "Virginie Damien Audrey Kevin Amélie Florian Justine Martin Noémie Adrien Gaëlle "
        "Vincent Alice Léa Clément Jean-François Marie-Laure",
        "Dupont Lambert Dubois Martin Leclercq Lejeune Renard Lemaire Collard Denis Hubert "
        "Leroy Simon Laurent Michel François Gilson Delvaux Henrard Dumont Piron Lecocq "
        "Charlier Dethier Lefèbvre Gérard Lambot Dufour Englebert Pirard Wautier Bastin Deprez "
        "Mathieu Lecomte Noël Fontaine Delhaye Baudoux Stiévenart Massart Culot Bodart Moreau "
        "Gillet Jadot Wilmet Marchal Dessy Hennebert Ghislain Cornez Durieux",
    ),
    "italian": (
        0.1,
        "Giulia Marco Luca Francesca Giovanni Sara Matteo Chiara Alessandro Valentina Salvatore "
        "Angela Vincenzo Rosa",
        "Rossi Russo Esposito Romano Di Stefano Lo Bue Caruso Mancini Vitale De Luca Giordano "
        "Scarpa Castiglione Palermo",
    ),
    "flemish": (
        0.12,
        "Wout Lien Pieter Jens Sander Lotte Femke Bram Ruben Hanne Jeroen Sofie Koen Annelies "
        "Elke Joris Stijn Katrien Dries Nele",
        "Peeters Janssens Maes Jacobs Mertens Willems Claes Goossens Wouters De Smet "
        "Van den Broeck De Clercq Verhaegen Vermeulen Van Damme Hermans Aerts Lemmens "
        "Verstraete De Backer",
    ),
    "maghrebi-turkish-congolese": (
        0.2,
        "Fatima Mehdi Youssef Inès Sofia Yasmine Karim Amine Nadia Samir Leïla Bilal Rania "
        "Hamza Salma Emre Elif Burak Zeynep Aylin Aïcha Moussa Grace Christelle Patrick",
        "El Amrani Benali Yilmaz Ouali El Idrissi Bouzid Haddad Chaoui Kaya Demir Öztürk "
        "Çelik Mbuyi Kabongo Tshibangu Lukusa Ilunga Aksoy",
    ),
}
# Last names of several words, kept whole when the lists above are split on spaces.
_MULTI_WORD = ("El Amrani", "El Idrissi", "Van den Broeck", "Van Damme", "De Smet",
               "De Clercq", "De Backer", "De Luca", "Di Stefano", "Lo Bue")


def _split_names(text: str) -> list[str]:
    for name in _MULTI_WORD:
        text = text.replace(name, name.replace(" ", "_"))
    return [word.replace("_", " ") for word in text.split()]


NAME_GROUPS = {
    group: (weight, _split_names(first), _split_names(last))
    for group, (weight, first, last) in NAMES.items()
}
# mail.example three times: most people use the same big provider.
EMAIL_DOMAINS = ("mail.example", "mail.example", "mail.example", "courrier.example",
                 "boite.example")
MOBILE_PREFIXES = ("460", "465", "468", "470", "471", "472", "473", "474", "475", "476", "477",
                   "478", "479", "483", "484", "485", "486", "487", "488", "489", "491", "492",
                   "493", "494", "495", "496", "497", "498", "499")

PROJECT_WORDS = (
    "Borinage Hainaut Doudou Beffroi Terril Sambre Meuse Ardenne Condroz Wallo Lumeçon "
    "Haine Trouille Hurlus Ducasse Escaut".split(),
    "Apps Labs Drones Data Connect Mobility Games Cloud Food Print Bio Solutions Studio "
    "Energy Care Tech".split(),
)
EMPLOYER_TRADES = ("Menuiserie", "Fiduciaire", "Garage", "Imprimerie", "Transports",
                   "Bureau d’études", "Informatique", "Cabinet", "Boulangerie", "Ateliers")
SCHOOLS = ("UMONS", "Haute École en Hainaut", "Haute École Louvain en Hainaut", "UCLouvain",
           "Université de Namur", "Université de Liège", "Haute École Condorcet")

# Who comes to what: the registration's profile, by kind of event.
PROFILE_WEIGHTS = {
    EventKind.BOOSTCAMP: {Profile.ENTREPRENEUR: 45, Profile.JOB_SEEKER: 25, Profile.STUDENT: 20,
                          Profile.EMPLOYEE: 10},
    EventKind.TRAINING: {Profile.EMPLOYEE: 45, Profile.JOB_SEEKER: 35, Profile.STUDENT: 10,
                         Profile.ENTREPRENEUR: 5, Profile.OTHER: 5},
    EventKind.CERTIFICATION_EXAM: {Profile.EMPLOYEE: 45, Profile.JOB_SEEKER: 30,
                                   Profile.STUDENT: 20, Profile.OTHER: 5},
    EventKind.WORKSHOP: {Profile.ENTREPRENEUR: 60, Profile.JOB_SEEKER: 15, Profile.STUDENT: 15,
                         Profile.EMPLOYEE: 10},
    EventKind.SPECIAL_PROJECT: {Profile.STUDENT: 35, Profile.ENTREPRENEUR: 30,
                                Profile.EMPLOYEE: 25, Profile.OTHER: 10},
}
# Share of an event's registrations by people who came to an earlier event.
RETURNING_SHARE = {
    EventKind.BOOSTCAMP: 0.08,
    EventKind.TRAINING: 0.1,
    EventKind.CERTIFICATION_EXAM: 0.1,  # on top of those who followed the matching training
    EventKind.WORKSHOP: 0.25,
    EventKind.SPECIAL_PROJECT: 0.25,
}


# --- The plan -----------------------------------------------------------------------------------


@dataclass
class PlannedPerson:
    email: str
    first_name: str
    last_name: str
    phone: str | None
    language: str
    profile: Profile  # their situation when last seen, it changes over the years
    project: str | None = None
    employer: str | None = None
    school: str | None = None
    first_seen: datetime | None = None  # their first registration
    last_seen: datetime | None = None


@dataclass
class PlannedRegistration:
    person: PlannedPerson
    status: RegistrationStatus
    profile: Profile
    organisation_name: str | None
    consent_followup: bool
    created_at: datetime
    cancelled_at: datetime | None = None


@dataclass
class PlannedEvent:
    slug: str
    title: str
    kind: EventKind
    place: Place
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    capacity: int
    audiences: tuple[Audience, ...]
    co_organisers: tuple[str, ...] = ()
    # (title, start, end), or a dict with the title's `translations` too
    sessions: list[tuple[str, datetime, datetime] | dict] = field(default_factory=list)
    status: EventStatus = EventStatus.PUBLISHED
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    created_at: datetime | None = None
    upcoming: bool = False
    full: bool = False  # booked up, with people on the waiting list
    last_seat: bool = False  # one seat left: the next sign-up takes it, the one after waits
    follows: str | None = None  # an exam's training: its trainees come to sit the exam
    proposed_by: str | None = None  # a partner's account, for a draft it proposed
    cancelled_at: datetime | None = None
    registered: int | None = None  # exactly this many confirmed, instead of a random number
    registrations: list[PlannedRegistration] = field(default_factory=list)
    translations: dict[str, dict[str, str]] | None = None  # title, summary… in nl and en


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Brussels, as the UTC instant the database stores."""
    return datetime.combine(day, time(hour, minute), tzinfo=BRUSSELS).astimezone(timezone.utc)


def monday_of_week(year: int, month: int, week: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(-first.weekday()) % 7, weeks=week)


def days_of(event_days: list[tuple[str, date, int, int, int, int]]):
    """Sessions (title, day, start h, start m, end h, end m) as instants."""
    return [(t, local(d, h1, m1), local(d, h2, m2)) for t, d, h1, m1, h2, m2 in event_days]


class Planner:
    def __init__(self, today: date, now: datetime):
        self.rng = random.Random(RANDOM_SEED)
        self.today = today
        self.now = now
        self.events: list[PlannedEvent] = []
        self.people: dict[str, PlannedPerson] = {}  # by e-mail, in order of first appearance
        self.slugs: set[str] = set()

    # Events

    def add(self, event: PlannedEvent) -> PlannedEvent:
        assert event.slug not in self.slugs, event.slug
        assert len(event.slug) <= 120 and len(event.summary) <= 500
        self.slugs.add(event.slug)
        # Registrations open six weeks before (unless said otherwise) and close on the eve.
        start_day = event.starts_at.astimezone(BRUSSELS).date()
        if event.registration_opens_at is None:
            opens_day = max(start_day - timedelta(weeks=6), CENTRE_OPENED + timedelta(weeks=1))
            event.registration_opens_at = local(opens_day, 9)
        event.registration_closes_at = local(start_day - timedelta(days=1), 23, 59)
        # Written by the team during office hours, one to three weeks before registrations open.
        opens_day = event.registration_opens_at.astimezone(BRUSSELS).date()
        created_day = max(opens_day - timedelta(days=self.rng.randint(7, 21)), CENTRE_OPENED)
        event.created_at = local(
            created_day, self.rng.randint(9, 16), self.rng.choice((0, 15, 30, 45))
        )
        self.events.append(event)
        return event

    def past_events(self) -> None:
        for year in PAST_YEARS:
            for season, (month, label, title) in enumerate(
                ((3, "printemps", "de printemps"), (10, "automne", "d’automne"))
            ):
                partner = PAST_PARTNERS.get(("boostcamp", year, season))
                city = self.place(partner).city
                start = monday_of_week(year, month, self.rng.randint(1, 2))
                nl_title = ("Voorjaarsboostcamp", "Najaarsboostcamp")[season]
                en_title = ("Spring Boostcamp", "Autumn Boostcamp")[season]
                self.boostcamp(
                    slug=f"boostcamp-{slugify(city)}-{year}-{label}",
                    title=f"Boostcamp {title} {year}" + (f" à {city}" if partner else ""),
                    titles=(
                        f"{nl_title} {year}"
                        + (f" in {DUTCH_CITY.get(city, city)}" if partner else ""),
                        f"{en_title} {year}" + (f" in {city}" if partner else ""),
                    ),
                    start=start,
                    n_days=self.rng.randint(3, 5),
                    partner=partner,
                    capacity=self.rng.choice((24, 25, 30, 35)),
                )
            certifications = [c for c in CERTIFICATIONS if year in c.years]
            training_months = (3, 5, 9) if year == CENTRE_OPENED.year else (2, 5, 9)
            for i, (month, cert) in enumerate(
                zip(training_months, self.rng.sample(certifications, 3), strict=True)
            ):
                partner = PAST_PARTNERS.get(("training", year, i))
                training = self.training(
                    cert,
                    start=monday_of_week(year, month, self.rng.randint(0, 2)),
                    partner=partner,
                    capacity=self.rng.choice((20, 24, 30)),
                )
                # The exam session comes a few weeks later, at the centre.
                self.exam(
                    [cert],
                    day=training.starts_at.astimezone(BRUSSELS).date()
                    + timedelta(weeks=self.rng.randint(4, 6), days=4),
                    capacity=self.rng.choice((20, 30, 40)),
                    follows=training.slug,
                )
            workshops = [w for w in WORKSHOPS if year in w.years]
            n_workshops = 2 if ("workshop", year, 1) in PAST_PARTNERS else self.rng.randint(1, 2)
            for i, (month, workshop) in enumerate(
                zip((4, 11), self.rng.sample(workshops, n_workshops), strict=False)
            ):
                partner = PAST_PARTNERS.get(("workshop", year, i))
                city = slugify(self.place(partner).city)
                self.workshop(
                    workshop,
                    day=monday_of_week(year, month, self.rng.randint(0, 2)) + timedelta(days=1),
                    partner=partner,
                    capacity=self.rng.choice((25, 30, 40)),
                    slug=f"atelier-{workshop.stem}-{city}-{year}-{month:02d}",
                )
        self.special_project(
            slug="projet-special-fp7-pme-2013",
            title="Projet spécial : journée d’information FP7 pour les PME",
            summary="Les programmes européens de recherche expliqués aux PME et start-ups "
            "wallonnes, et comment rejoindre un consortium.",
            points=("Le 7e programme-cadre (FP7) en pratique",
                    "Monter ou rejoindre un consortium",
                    "Témoignages de PME hennuyères"),
            day=date(2013, 6, 13), hours=(9, 0, 16, 0), capacity=40,
            audiences=(Audience.ENTREPRENEURS, Audience.EMPLOYEES),
            translations=translated(
                {"title": "Speciaal project: infodag KP7 voor kmo's",
                 "summary": "De Europese onderzoeksprogramma's uitgelegd aan Waalse kmo's en "
                 "start-ups, en hoe u zich bij een consortium aansluit.",
                 "points": ("Het zevende kaderprogramma (KP7) in de praktijk",
                            "Een consortium opzetten of erbij aansluiten",
                            "Getuigenissen van Henegouwse kmo's")},
                {"title": "Special project: FP7 information day for SMEs",
                 "summary": "The European research programmes explained to Walloon SMEs and "
                 "start-ups, and how to join a consortium.",
                 "points": ("The Seventh Framework Programme (FP7) in practice",
                            "Setting up or joining a consortium",
                            "Stories from SMEs of Hainaut")},
            ),
        )
        self.special_project(
            slug="hackathon-mons-2015-culture-numerique",
            title="Projet spécial : hackathon Mons 2015",
            summary="Un week-end pour inventer les applications de Mons 2015, Capitale "
            "européenne de la Culture.",
            points=("Des équipes mêlant développeurs, designers et porteurs d’idées",
                    "Données ouvertes et partenaires culturels",
                    "Présentation devant un jury le dimanche"),
            day=date(2014, 11, 22), hours=(9, 0, 18, 0), capacity=40, n_days=2,
            audiences=(Audience.STUDENTS, Audience.ENTREPRENEURS, Audience.EMPLOYEES),
            translations=translated(
                {"title": "Speciaal project: hackathon Bergen 2015",
                 "summary": "Een weekend om de apps van Bergen 2015, Culturele Hoofdstad van "
                 "Europa, te bedenken.",
                 "points": ("Teams van ontwikkelaars, ontwerpers en mensen met ideeën",
                            "Open data en culturele partners",
                            "Voorstelling voor een jury op zondag")},
                {"title": "Special project: Mons 2015 hackathon",
                 "summary": "A weekend to invent the apps of Mons 2015, European Capital of "
                 "Culture.",
                 "points": ("Teams mixing developers, designers and people with ideas",
                            "Open data and cultural partners",
                            "Presentation to a jury on Sunday")},
            ),
        )

    def upcoming_events(self) -> None:
        """The next season, dated from today so that the demo always has something ahead."""
        weeks = self.upcoming_weeks()
        opens = local(self.today - timedelta(weeks=3), 9)
        window = dict(registration_opens_at=opens, upcoming=True)

        self.boostcamp(
            slug="boostcamp-mons-prochaine-edition",
            title="Boostcamp Mons : prochaine édition",
            titles=("Boostcamp Bergen: volgende editie", "Boostcamp Mons: next edition"),
            start=weeks[0], n_days=4, partner=None, capacity=30, last_seat=True, **window,
        )
        self.workshop(
            WORKSHOP_BY_STEM["pitch"], day=weeks[1] + timedelta(days=2), partner=None,
            capacity=12, slug="atelier-pitch-mons", evening=True, full=True, **window,
        )
        self.training(
            AZURE_FUNDAMENTALS, start=weeks[2], partner="namur-coworking", capacity=20,
            slug="formation-azure-fundamentals-namur", **window,
        )
        self.workshop(
            WORKSHOP_BY_STEM["business-model-canvas"], day=weeks[3] + timedelta(days=3),
            partner="liege-competences", capacity=25,
            slug="atelier-business-model-canvas-liege", **window,
        )
        self.training(
            M365_FUNDAMENTALS, start=weeks[4], partner=None, capacity=20,
            slug="formation-microsoft-365-demandeurs-emploi-mons",
            title="Formation Microsoft 365 Fundamentals (MS-900) pour demandeurs d’emploi",
            titles=("Opleiding Microsoft 365 Fundamentals (MS-900) voor werkzoekenden",
                    "Microsoft 365 Fundamentals (MS-900) training for job seekers"),
            **window,
        )
        self.training(
            POWER_BI, start=weeks[5] + timedelta(days=1), partner=None, capacity=16,
            slug="formation-power-bi-mons", status=EventStatus.CANCELLED,
            cancelled_at=self.cancelled_at(), **window,
        )
        self.exam(
            [AZURE_FUNDAMENTALS, M365_FUNDAMENTALS], day=weeks[6] + timedelta(days=4),
            capacity=20, slug="session-examens-certification-mons", **window,
        )
        self.boostcamp(
            slug="boostcamp-louvain-la-neuve-mind-and-market",
            title="Boostcamp Louvain-la-Neuve avec Mind & Market",
            titles=("Boostcamp Louvain-la-Neuve met Mind & Market",
                    "Boostcamp Louvain-la-Neuve with Mind & Market"),
            start=weeks[7], n_days=3, partner="mind-and-market", capacity=25, **window,
        )
        self.special_project(
            slug="hackathon-ia-pme-wallonnes",
            title="Projet spécial : hackathon IA pour les PME wallonnes",
            summary="Deux jours pour prototyper, avec des PME de la région, des outils "
            "d’intelligence artificielle qui leur font gagner du temps.",
            points=("Des défis apportés par des PME hennuyères",
                    "Équipes mixtes : développeurs, étudiants, entrepreneurs",
                    "Démonstrations et jury le samedi soir"),
            day=weeks[8] + timedelta(days=4), hours=(9, 0, 18, 0), capacity=60, n_days=2,
            audiences=(Audience.STUDENTS, Audience.ENTREPRENEURS, Audience.EMPLOYEES),
            translations=translated(
                {"title": "Speciaal project: AI-hackathon voor Waalse kmo's",
                 "summary": "Twee dagen om samen met kmo's uit de regio AI-tools te "
                 "prototypen die hun tijd besparen.",
                 "points": ("Uitdagingen aangebracht door Henegouwse kmo's",
                            "Gemengde teams: ontwikkelaars, studenten, ondernemers",
                            "Demonstraties en jury op zaterdagavond")},
                {"title": "Special project: AI hackathon for Walloon SMEs",
                 "summary": "Two days to prototype, with SMEs from the region, artificial "
                 "intelligence tools that save them time.",
                 "points": ("Challenges brought by SMEs of Hainaut",
                            "Mixed teams: developers, students, entrepreneurs",
                            "Demonstrations and jury on Saturday evening")},
            ),
            **window,
        )
        # Proposed by the partner, not yet published by the centre.
        self.workshop(
            WORKSHOP_BY_STEM["financement"], day=weeks[9] + timedelta(days=2),
            partner="mind-and-market", capacity=30, evening=True,
            slug="atelier-financement-louvain-la-neuve", status=EventStatus.DRAFT,
            proposed_by="manager@mind-and-market.example", **window,
        )
        # Today at Mind & Market's: the door is open (see _door), for checkin@mind-and-market.
        self.boostcamp(
            slug=DOOR_SLUG, title="Boostcamp express Mind & Market",
            titles=("Express-Boostcamp Mind & Market", "Express Boostcamp with Mind & Market"),
            start=self.today, n_days=2, partner="mind-and-market", capacity=45, registered=40,
            **window,
        )

    def upcoming_weeks(self) -> list[date]:
        """Mondays from three weeks ahead, skipping the Christmas and summer holidays."""
        monday = self.today + timedelta(days=21)
        monday += timedelta(days=(-monday.weekday()) % 7)
        weeks = []
        while len(weeks) < 10:
            friday = monday + timedelta(days=4)
            christmas = any(
                date(y, 12, 24) <= friday and monday <= date(y + 1, 1, 1)
                for y in (monday.year - 1, monday.year)
            )
            summer = date(monday.year, 7, 14) <= monday <= date(monday.year, 8, 15)
            if not christmas and not summer:
                weeks.append(monday)
            monday += timedelta(weeks=1)
        return weeks

    def place(self, partner: str | None) -> Place:
        return PLACES[partner or CENTRE]

    def boostcamp(self, *, slug, title, titles, start, n_days, partner, capacity, **extra):
        place = self.place(partner)
        # Always the first two days and the final pitch; the middle ones when there is time.
        days = [*range(n_days - 1), len(BOOSTCAMP_DAYS) - 1]
        sessions = days_of([
            (f"Jour {i} — {BOOSTCAMP_DAYS[day]}", start + timedelta(days=i - 1), 9, 0, 17, 0)
            for i, day in enumerate(days, 1)
        ])
        agenda = [
            {"title": title, "starts_at": starts_at, "ends_at": ends_at,
             "translations": {"nl": {"title": f"Dag {i} — {BOOSTCAMP_DAYS_NL[day]}"},
                              "en": {"title": f"Day {i} — {BOOSTCAMP_DAYS_EN[day]}"}}}
            for i, (day, (title, starts_at, ends_at)) in enumerate(zip(days, sessions), 1)
        ]  # fmt: skip
        with_partner = f", avec {PARTNER_NAMES[partner]}," if partner else ""
        summary = (
            f"{n_days} jours à {place.city}{with_partner} pour transformer une idée en projet "
            "d’entreprise, accompagné par des coachs et des entrepreneurs."
        )
        coaches = f"de {PARTNER_NAMES[partner]} et du MIC" if partner else "du MIC"
        # The page shows the summary, the venue and the agenda: the description adds the rest.
        description = (
            "Le **Boostcamp** du Microsoft Innovation Center s’adresse aux porteurs de projet, "
            "aux étudiants et aux demandeurs d’emploi qui veulent tester une idée de start-up. "
            f"Pendant {n_days} jours, les coachs {coaches}, des entrepreneurs et des experts "
            "vous accompagnent de l’idée jusqu’au **pitch final devant un jury**.\n\n"
            "## Pour qui ?\n\n"
            "- Vous avez une idée d’entreprise, même encore floue\n"
            "- Vous êtes étudiant, demandeur d’emploi ou salarié, et l’entrepreneuriat vous "
            "tente\n\n"
            "## En pratique\n\n"
            "- Participation gratuite, inscription obligatoire\n"
            f"- Présence attendue les {n_days} jours\n"
            "- Apportez un ordinateur portable\n"
        )
        partner_name = PARTNER_NAMES.get(partner)
        nl = {
            "title": titles[0],
            "summary": f"{n_days} dagen in {DUTCH_CITY.get(place.city, place.city)}"
            + (f", met {partner_name}," if partner else "")
            + " om van een idee een ondernemingsproject te maken, begeleid door coaches en "
            "ondernemers.",
            "description": (
                "De **Boostcamp** van het Microsoft Innovation Center is er voor "
                "projectdragers, studenten en werkzoekenden die een start-upidee willen "
                f"testen. {n_days} dagen lang begeleiden coaches, ondernemers en experts u "
                "van het idee tot de **eindpitch voor een jury**.\n\n"
                "## Voor wie?\n\n"
                "- U hebt een idee voor een onderneming, ook al is het nog vaag\n"
                "- U bent student, werkzoekende of werknemer en ondernemen trekt u aan\n\n"
                "## Praktisch\n\n"
                "- Deelname gratis, inschrijving verplicht\n"
                f"- Aanwezigheid alle {n_days} dagen verwacht\n"
                "- Breng een laptop mee\n"
            ),
        }
        en = {
            "title": titles[1],
            "summary": f"{n_days} days in {place.city}"
            + (f", with {partner_name}," if partner else "")
            + " to turn an idea into a business project, guided by coaches and entrepreneurs.",
            "description": (
                "The Microsoft Innovation Center's **Boostcamp** is for project holders, "
                "students and job seekers who want to test a start-up idea. For "
                f"{n_days} days, coaches, entrepreneurs and experts take you from the idea "
                "to the **final pitch before a jury**.\n\n"
                "## Who is it for?\n\n"
                "- You have a business idea, even a vague one\n"
                "- You are a student, job seeker or employee, and tempted by "
                "entrepreneurship\n\n"
                "## In practice\n\n"
                "- Free of charge, registration required\n"
                f"- Attendance expected on all {n_days} days\n"
                "- Bring a laptop\n"
            ),
        }
        return self.add(PlannedEvent(
            slug=slug, title=title, kind=EventKind.BOOSTCAMP, place=place,
            starts_at=sessions[0][1], ends_at=sessions[-1][2], summary=summary,
            description=description, capacity=capacity, sessions=agenda,
            audiences=(Audience.ENTREPRENEURS, Audience.STUDENTS, Audience.JOB_SEEKERS),
            co_organisers=(partner,) if partner else (), translations=translated(nl, en),
            **extra,
        ))

    def training(self, cert: Certification, *, start, partner, capacity, slug=None,
                 title=None, titles=None, **extra):
        place = self.place(partner)
        sessions = days_of([
            (f"Jour {i} — {topic}", start + timedelta(days=i - 1), 9, 0, 16, 30)
            for i, topic in enumerate(cert.days, 1)
        ])
        n_days = len(sessions)
        slug = slug or f"formation-{cert.stem}-{slugify(place.city)}-{start:%Y-%m}"
        description = (
            f"{cert.pitch}\n\n"
            "## Certification\n\n"
            f"La formation prépare à l’examen **{cert.name} ({cert.code})**, que vous pourrez "
            "présenter lors d’une session d’examens organisée au centre quelques semaines "
            "plus tard.\n\n"
            "## En pratique\n\n"
            "- Supports de cours et ordinateurs fournis\n"
            "- Priorité aux demandeurs d’emploi et aux travailleurs de PME\n"
        )
        return self.add(PlannedEvent(
            slug=slug, title=title or f"Formation {cert.name} ({cert.code})",
            kind=EventKind.TRAINING, place=place, starts_at=sessions[0][1],
            ends_at=sessions[-1][2],
            summary=f"{n_days} jours pour préparer la certification {cert.name} ({cert.code}).",
            description=description, capacity=capacity, sessions=sessions,
            audiences=cert.audiences, co_organisers=(partner,) if partner else (),
            translations=translated(
                {"title": titles[0] if titles else f"Opleiding {exam_name(cert)} ({cert.code})",
                 "summary": f"{n_days} dagen om u voor te bereiden op de certificering "
                 f"{exam_name(cert)} ({cert.code}).",
                 "description": f"## Certificering\n\nDe opleiding bereidt u voor op het examen "
                 f"**{exam_name(cert)} ({cert.code})**, dat u enkele weken later kunt "
                 "afleggen tijdens een examensessie in het centrum.\n\n## Praktisch\n\n"
                 "- Cursusmateriaal en computers ter beschikking\n"
                 "- Voorrang voor werkzoekenden en werknemers van kmo's\n"},
                {"title": titles[1] if titles else f"{exam_name(cert)} ({cert.code}) training",
                 "summary": f"{n_days} days to prepare for the {exam_name(cert)} ({cert.code}) "
                 "certification.",
                 "description": f"## Certification\n\nThe training prepares you for the "
                 f"**{exam_name(cert)} ({cert.code})** exam, which you can take a few weeks "
                 "later at an exam session at the centre.\n\n## In practice\n\n"
                 "- Course material and computers provided\n"
                 "- Priority to job seekers and employees of SMEs\n"},
            ),
            **extra,
        ))

    def exam(self, certs: list[Certification], *, day, capacity, slug=None, follows=None,
             **extra):
        place = self.place(None)
        codes = " et ".join(c.code for c in certs)
        slug = slug or f"examen-{certs[0].stem}-{day:%Y-%m}"
        morning = self.rng.random() < 0.6
        hours = (9, 0, 12, 30) if morning else (13, 30, 17, 0)
        exams = "\n".join(f"- **{c.name}** ({c.code})" for c in certs)
        exams_intl = "\n".join(f"- **{exam_name(c)}** ({c.code})" for c in certs)
        description = (
            "Session d’examens de certification Microsoft au centre d’examens agréé du MIC.\n\n"
            f"## Examens proposés\n\n{exams}\n\n"
            "## À savoir\n\n"
            "- Présentez-vous 30 minutes avant le début, muni d’une pièce d’identité valide\n"
            "- Les examens se passent sur ordinateur ; le résultat est connu immédiatement\n"
            "- Les participants de nos formations sont prioritaires\n"
        )
        return self.add(PlannedEvent(
            slug=slug, title=f"Session d’examens de certification : {codes}",
            kind=EventKind.CERTIFICATION_EXAM, place=place,
            starts_at=local(day, hours[0], hours[1]), ends_at=local(day, hours[2], hours[3]),
            summary=f"Passer la certification {codes} au centre d’examens du MIC à Mons.",
            description=description, capacity=capacity,
            audiences=(Audience.EMPLOYEES, Audience.JOB_SEEKERS, Audience.STUDENTS),
            follows=follows,
            translations=translated(
                {"title": "Certificeringsexamens: " + " en ".join(c.code for c in certs),
                 "summary": "De certificering " + " en ".join(c.code for c in certs)
                 + " afleggen in het examencentrum van het MIC in Bergen.",
                 "description": "Sessie van Microsoft-certificeringsexamens in het erkende "
                 f"examencentrum van het MIC.\n\n## Examens\n\n{exams_intl}\n\n"
                 "## Goed om te weten\n\n"
                 "- Kom 30 minuten voor het begin, met een geldig identiteitsbewijs\n"
                 "- De examens worden op de computer afgelegd; u kent het resultaat meteen\n"
                 "- Deelnemers aan onze opleidingen hebben voorrang\n"},
                {"title": "Certification exams: " + " and ".join(c.code for c in certs),
                 "summary": "Take the " + " and ".join(c.code for c in certs)
                 + " certification at the MIC's exam centre in Mons.",
                 "description": "A session of Microsoft certification exams at the MIC's "
                 f"approved exam centre.\n\n## Exams offered\n\n{exams_intl}\n\n## Good to know\n\n"
                 "- Arrive 30 minutes before the start, with a valid identity document\n"
                 "- The exams are taken on a computer; you know the result at once\n"
                 "- Participants of our trainings have priority\n"},
            ),
            **extra,
        ))

    def workshop(self, workshop: Workshop, *, day, partner, capacity, slug, evening=None,
                 **extra):
        place = self.place(partner)
        if evening is None:
            evening = self.rng.random() < 0.5
        hours = (18, 0, 21, 0) if evening else (13, 30, 17, 0)
        points = "\n".join(f"- {p}" for p in workshop.points)
        description = (
            f"## Au programme\n\n{points}\n\n"
            "## En pratique\n\n"
            "- Atelier gratuit en petit groupe, inscription obligatoire\n"
            "- Venez avec votre projet : on travaille sur des cas réels\n"
        )
        return self.add(PlannedEvent(
            slug=slug, title=workshop.title, kind=EventKind.WORKSHOP, place=place,
            starts_at=local(day, hours[0], hours[1]), ends_at=local(day, hours[2], hours[3]),
            summary=workshop.summary, description=description, capacity=capacity,
            audiences=(Audience.ENTREPRENEURS, Audience.STUDENTS),
            co_organisers=(partner,) if partner else (),
            translations=translated(*(
                {"title": title, "summary": summary, "description": (
                    f"## {heading}\n\n{bullets(points)}\n\n## {practical}\n\n{notes}")}
                for title, (summary, points), heading, practical, notes in zip(
                    WORKSHOP_TITLES[workshop.stem], WORKSHOP_TEXTS[workshop.stem],
                    ("Op het programma", "What we cover"), ("Praktisch", "In practice"),
                    ("- Gratis workshop in een kleine groep, inschrijving verplicht\n"
                     "- Breng uw project mee: we werken aan echte gevallen\n",
                     "- Free workshop in a small group, registration required\n"
                     "- Bring your project: we work on real cases\n"), strict=True)
            )),
            **extra,
        ))

    def special_project(self, *, slug, title, summary, points, day, hours, capacity,
                        audiences, n_days=1, **extra):
        place = self.place(None)
        starts_at = local(day, hours[0], hours[1])
        ends_at = local(day + timedelta(days=n_days - 1), hours[2], hours[3])
        description = (
            "Un **projet spécial** du Microsoft Innovation Center, en dehors de son catalogue "
            f"habituel.\n\n## Au programme\n\n{bullets(points)}\n"
        )
        intro = {"nl": ("Een **speciaal project** van het Microsoft Innovation Center, buiten "
                        "zijn gewone aanbod.", "Op het programma"),
                 "en": ("A **special project** of the Microsoft Innovation Center, outside its "
                        "usual catalogue.", "What we cover")}
        for language, texts in (extra.get("translations") or {}).items():
            lead, heading = intro[language]
            texts["description"] = f"{lead}\n\n## {heading}\n\n{bullets(texts.pop('points'))}\n"
        return self.add(PlannedEvent(
            slug=slug, title=title, kind=EventKind.SPECIAL_PROJECT, place=place,
            starts_at=starts_at, ends_at=ends_at, summary=summary, description=description,
            capacity=capacity, audiences=audiences, **extra,
        ))

    # People and registrations

    def fill(self) -> None:
        """Registrations in date order, so that a returning person came to an earlier event."""
        seen: list[PlannedPerson] = []
        attendees: dict[str, list[PlannedPerson]] = {}
        for event in sorted(self.events, key=lambda e: (e.starts_at, e.slug)):
            count, waitlisted = self.how_many(event)
            chosen: list[PlannedPerson] = []
            taken: set[str] = set()
            trainees = attendees.get(event.follows, []) if event.follows else []
            trainees = self.rng.sample(trainees, min(len(trainees), count // 2))
            for i in range(count + waitlisted):
                if i < len(trainees):
                    person = trainees[i]
                elif seen and self.rng.random() < self.returning_share(event):
                    person = self.rng.choice(seen)
                else:
                    person = self.newcomer(event.kind)
                if person.email in taken:
                    person = self.newcomer(event.kind)
                taken.add(person.email)
                chosen.append(person)
            for i, person in enumerate(chosen):
                status = RegistrationStatus.WAITLISTED if i >= count else self.status(event)
                registration = self.registration(event, person, status)
                event.registrations.append(registration)
                if person.first_seen is None:
                    seen.append(person)
                    person.first_seen = registration.created_at
                person.first_seen = min(person.first_seen, registration.created_at)
                person.last_seen = event.starts_at
            attendees[event.slug] = [
                r.person for r in event.registrations if r.status == RegistrationStatus.CONFIRMED
            ]

    def how_many(self, event: PlannedEvent) -> tuple[int, int]:
        """(registrations within capacity, waitlisted ones)."""
        if event.status == EventStatus.DRAFT:
            return 0, 0
        if event.registered is not None:
            return event.registered, 0
        if not event.upcoming:
            # Most sessions filled up well: word of mouth did the rest.
            return self.rng.randint(max(15, event.capacity * 2 // 3), event.capacity), 0
        if event.full:
            return event.capacity, 4
        if event.last_seat:
            return event.capacity - 1, 0
        return self.rng.randint(event.capacity // 3, event.capacity * 3 // 4), 0

    def returning_share(self, event: PlannedEvent) -> float:
        # Past participants rarely come back a decade later.
        return 0.05 if event.upcoming else RETURNING_SHARE[event.kind]

    def status(self, event: PlannedEvent) -> RegistrationStatus:
        if event.status == EventStatus.CANCELLED:
            return RegistrationStatus.CANCELLED
        if not event.upcoming and self.rng.random() < 0.05:
            return RegistrationStatus.CANCELLED
        return RegistrationStatus.CONFIRMED

    def registration(self, event: PlannedEvent, person: PlannedPerson,
                     status: RegistrationStatus) -> PlannedRegistration:
        opens = event.registration_opens_at
        # Up to the eve of the event, or up to now for what has not happened yet.
        until = min(event.registration_closes_at, self.now - timedelta(hours=1))
        if event.cancelled_at is not None:
            until = event.cancelled_at - timedelta(hours=2)
        created_at = opens + timedelta(
            minutes=self.rng.randint(0, int((until - opens).total_seconds() // 60))
        )
        cancelled_at = None
        if status == RegistrationStatus.CANCELLED:
            if event.cancelled_at is not None:
                cancelled_at = event.cancelled_at
            else:
                span = int((event.starts_at - created_at).total_seconds() // 60)
                cancelled_at = created_at + timedelta(minutes=self.rng.randint(1, span - 1))
        profile = self.evolve(person, event)
        return PlannedRegistration(
            person=person,
            status=status,
            profile=profile,
            organisation_name=self.organisation_name(person, event),
            consent_followup=self.rng.random() < 0.6,
            created_at=created_at,
            cancelled_at=cancelled_at,
        )

    def cancelled_at(self) -> datetime:
        # The centre called the upcoming session off yesterday morning.
        return local(self.today - timedelta(days=1), 10)

    def evolve(self, person: PlannedPerson, event: PlannedEvent) -> Profile:
        """Situations change between events a year or more apart: students graduate, job
        seekers find work or start a business. An entrepreneur has a project to name."""
        long_ago = person.last_seen and event.starts_at - person.last_seen > timedelta(days=300)
        if long_ago and self.rng.random() < 0.4:
            person.profile = {
                Profile.STUDENT: self.rng.choice(
                    (Profile.JOB_SEEKER, Profile.EMPLOYEE, Profile.ENTREPRENEUR)
                ),
                Profile.JOB_SEEKER: self.rng.choice((Profile.EMPLOYEE, Profile.ENTREPRENEUR)),
            }.get(person.profile, person.profile)
        if person.profile == Profile.ENTREPRENEUR and person.project is None:
            first, second = PROJECT_WORDS
            person.project = f"{self.rng.choice(first)} {self.rng.choice(second)}"
        return person.profile

    def organisation_name(self, person: PlannedPerson, event: PlannedEvent) -> str | None:
        if person.profile == Profile.ENTREPRENEUR:
            # Ventures registered as companies: SPRL before the 2019 reform, SRL after.
            if self.rng.random() < 0.3:
                return f"{person.project} {'SRL' if event.upcoming else 'SPRL'}"
            return person.project
        if person.profile == Profile.EMPLOYEE:
            if person.employer is None:
                trade = self.rng.choice(EMPLOYER_TRADES)
                owner = self.rng.choice(self.rng.choice(list(NAME_GROUPS.values()))[2])
                person.employer = f"{trade} {owner}"
            return person.employer if self.rng.random() < 0.7 else None
        if person.profile == Profile.STUDENT:
            person.school = person.school or self.rng.choice(SCHOOLS)
            return person.school if self.rng.random() < 0.5 else None
        return None

    def newcomer(self, kind: EventKind) -> PlannedPerson:
        groups = list(NAME_GROUPS)
        group = self.rng.choices(groups, weights=[NAME_GROUPS[g][0] for g in groups])[0]
        # Belgian families mix: now and then a first name from another group.
        first_group = group if self.rng.random() < 0.85 else self.rng.choice(groups)
        first_name = self.rng.choice(NAME_GROUPS[first_group][1])
        last_name = self.rng.choice(NAME_GROUPS[group][2])
        weights = PROFILE_WEIGHTS[kind]
        profile = self.rng.choices(list(weights), weights=list(weights.values()))[0]
        phone = None
        if self.rng.random() < 0.65:
            digits = [self.rng.randint(0, 9) for _ in range(6)]
            phone = "+32 {} {}{} {}{} {}{}".format(self.rng.choice(MOBILE_PREFIXES), *digits)
        # Flemish visitors mostly read Dutch; one draw keeps the rest of the demo unchanged.
        draw = self.rng.random()
        if group == "flemish":
            language = "nl" if draw < 0.75 else ("en" if draw < 0.95 else "fr")
        else:
            language = "en" if draw < 0.06 else "fr"
        person = PlannedPerson(
            email=self.email(first_name, last_name),
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            language=language,
            profile=profile,
        )
        self.people[person.email] = person
        return person

    def email(self, first_name: str, last_name: str) -> str:
        first, last = _ascii(first_name), _ascii(last_name)
        local_part = self.rng.choice((f"{first}.{last}", f"{first}.{last}", f"{first[0]}{last}",
                                      f"{first}{last}"))
        domain = self.rng.choice(EMAIL_DOMAINS)
        email = normalise_email(f"{local_part}@{domain}")
        while email in self.people:
            email = normalise_email(f"{local_part}.{self.rng.randint(2, 99)}@{domain}")
        return email


PARTNER_NAMES = {o["slug"]: o["name"] for o in ORGANISATIONS}
DOOR_SLUG = "boostcamp-express-mind-and-market"


def _ascii(name: str) -> str:
    """'Céline' -> 'celine', 'Van den Broeck' -> 'vandenbroeck'."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum())


def plan(today: date, now: datetime) -> Planner:
    planner = Planner(today, now)
    planner.past_events()
    planner.upcoming_events()
    planner.fill()
    return planner


# --- Writing it --------------------------------------------------------------------------------


def seed() -> str:
    """Add whatever part of the demo data is missing. Flushes; the caller commits."""
    now = utcnow()
    planned = plan(now.astimezone(BRUSSELS).date(), now)
    added: Counter[str] = Counter()
    orgs = _organisations(added)
    users = _staff_accounts(orgs, added)
    events = _events(planned.events, orgs, users, added)
    people = _people(list(planned.people.values()), added)
    _registrations(planned.events, events, people, added)
    db.session.flush()
    _door(events[DOOR_SLUG], users, now, added)
    consents.backfill()  # the registrations above were inserted without their consents
    demo_admission.seed(events, users, added)
    added.update(demo_outcomes.seed(planned.events, events, people))
    added.update(demo_programmes.seed(now))

    if not any(added.values()):
        return "The demo data is already there: nothing added."
    return "\n".join([
        "Demo data added:",
        f"  organisations: {added['organisations']}",
        f"  staff accounts: {added['accounts']}",
        f"  events: {added['events']} ({added['upcoming events']} upcoming)",
        f"  people: {added['people']}",
        f"  registrations: {added['registrations']}",
        f"  check-ins: {added['check-ins']}",
        f"  start-ups: {added['start-ups']}, certifications: {added['certifications']}, "
        f"targets: {added['targets']}",
        f"  programmes: {added['programmes']} "
        f"({added['programme registrations']} programme registrations)",
    ])


# Drawn for the demo (boostcamp/demo/logos/, PNGs uploaded as staff would upload them);
# sponsors have none, so the pages show their names.
LOGOS = {CENTRE, "mind-and-market", "namur-coworking", "liege-competences"}


def _organisations(added: Counter) -> dict[str, Organisation]:
    slugs = [o["slug"] for o in ORGANISATIONS]
    orgs = {
        o.slug: o
        for o in db.session.scalars(sa.select(Organisation).where(Organisation.slug.in_(slugs)))
    }
    for fields in ORGANISATIONS:
        if fields["slug"] not in orgs:
            if fields["slug"] in LOGOS:
                logo = Path(__file__).parent / "logos" / f"{fields['slug']}.png"
                fields = {**fields, "logo": logo.read_bytes(), "logo_filename": logo.name}
            orgs[fields["slug"]] = create_organisation(**fields)
            added["organisations"] += 1
    return orgs


def _staff_accounts(orgs: dict[str, Organisation], added: Counter) -> dict[str, User]:
    emails = [account[0] for account in STAFF_ACCOUNTS]
    users = {u.email: u for u in db.session.scalars(sa.select(User).where(User.email.in_(emails)))}
    for email, password, name, role, org_slug, org_role in STAFF_ACCOUNTS:
        user = users.get(email)
        if user is None:  # an existing account keeps its password
            user = users[email] = create_user(email, password, name=name, role=role, language="fr")
            added["accounts"] += 1
        if org_slug and all(m.organisation_id != orgs[org_slug].id for m in user.memberships):
            add_membership(user, orgs[org_slug], org_role)
    return users


def _events(planned: list[PlannedEvent], orgs: dict[str, Organisation],
            users: dict[str, User], added: Counter) -> dict[str, Event]:
    slugs = [e.slug for e in planned]
    events = {e.slug: e for e in db.session.scalars(sa.select(Event).where(Event.slug.in_(slugs)))}
    for p in planned:
        if p.slug in events:
            continue
        event = create_event(
            title=p.title,
            kind=p.kind,
            starts_at=p.starts_at,
            ends_at=p.ends_at,
            city=p.place.city,
            host=orgs[CENTRE],
            co_organisers=[orgs[slug] for slug in p.co_organisers],
            sessions=p.sessions,
            audiences=p.audiences,
            slug=p.slug,
            # A cancelled event was published first: its history says so.
            status=EventStatus.PUBLISHED if p.status == EventStatus.CANCELLED else p.status,
            summary=p.summary,
            description=p.description.strip(),  # as the event form keeps it
            venue=p.place.venue,
            address=p.place.address,
            capacity=p.capacity,
            registration_opens_at=p.registration_opens_at,
            registration_closes_at=p.registration_closes_at,
            translations=p.translations,
            user=users.get(p.proposed_by),  # the audit log says who proposed it
        )
        if p.status == EventStatus.CANCELLED:
            cancel_event(event)
        # Past events were created back then, not today: their history too.
        event.created_at = p.created_at
        event.updated_at = p.cancelled_at or p.created_at
        if p.cancelled_at is not None:
            event.cancelled_at = p.cancelled_at
        db.session.flush()
        for action, at in (("created", p.created_at), ("cancelled", p.cancelled_at)):
            if at is not None:
                db.session.execute(
                    sa.update(AuditEntry)
                    .where(AuditEntry.event_id == event.id, AuditEntry.action == action)
                    .values(at=at)
                )
        events[p.slug] = event
        added["events"] += 1
        added["upcoming events"] += p.upcoming
    return events


def _people(planned: list[PlannedPerson], added: Counter) -> dict[str, Person]:
    emails = [p.email for p in planned]
    people: dict[str, Person] = {}
    for start in range(0, len(emails), 500):  # keeps IN (…) well under SQLite's limits
        chunk = emails[start : start + 500]
        found = db.session.scalars(sa.select(Person).where(Person.email.in_(chunk)))
        people.update((p.email, p) for p in found)
    new = [
        Person(
            email=p.email,
            first_name=p.first_name,
            last_name=p.last_name,
            phone=p.phone,
            language=p.language,
            created_at=p.first_seen,
            updated_at=p.first_seen,
        )
        for p in planned
        if p.email not in people
    ]
    db.session.add_all(new)
    people.update((p.email, p) for p in new)
    added["people"] += len(new)
    return people


def _registrations(planned: list[PlannedEvent], events: dict[str, Event],
                   people: dict[str, Person], added: Counter) -> None:
    db.session.flush()  # ids for the new people, to compare with existing registrations
    event_ids = [e.id for e in events.values()]
    rows = db.session.execute(
        sa.select(Registration.event_id, Registration.person_id).where(
            Registration.event_id.in_(event_ids)
        )
    )
    existing = {(event_id, person_id) for event_id, person_id in rows}
    new = []
    for p in planned:
        event = events[p.slug]
        for r in p.registrations:
            person = people[r.person.email]
            if (event.id, person.id) in existing:
                continue
            new.append(Registration(
                event_id=event.id,
                person_id=person.id,
                status=r.status,
                profile=r.profile,
                organisation_name=r.organisation_name,
                consent_at=r.created_at,
                consent_followup=r.consent_followup,
                cancelled_at=r.cancelled_at,
                created_at=r.created_at,
                updated_at=r.cancelled_at or r.created_at,
            ))
    db.session.add_all(new)
    added["registrations"] += len(new)


# --- Today's event at the door ----------------------------------------------------------------

DOOR_QUESTION = "Régime alimentaire pour le lunch"
DOOR_ANSWERS = ("Végétarien", "Sans gluten", "Halal", "Vegan")
DOOR_NOTES = ("Intervenante de l’après-midi : lui remettre son badge orateur.",
              "Se déplace en fauteuil : place réservée près de la porte.")  # fmt: skip
WALK_IN = ("yasmine.haddad@courrier.example", "Yasmine", "Haddad", "Atelier Haddad SRL")


def _door(event: Event, users: dict[str, User], now: datetime, added: Counter) -> None:
    """Mind & Market's Boostcamp today, half-way through its first morning: a question
    shown at check-in and a few answers to it, two staff notes, a third of the people
    checked in by checkin@mind-and-market.example, and one person registered at the door.
    Every row is found again by a natural key, so seeding twice adds nothing."""
    door = users["checkin@mind-and-market.example"]
    first_day = min(event.sessions, key=lambda s: s.starts_at)
    question = db.session.scalar(
        sa.select(EventQuestion).where(EventQuestion.event_id == event.id)
    ) or EventQuestion(event_id=event.id, position=1, label=DOOR_QUESTION,
                       kind=QuestionKind.SINGLE_CHOICE, choices=list(DOOR_ANSWERS),
                       show_at_checkin=True)  # fmt: skip
    db.session.add(question)
    walk_in = db.session.scalar(
        sa.select(Registration).join(Person)
        .where(Registration.event_id == event.id, Person.email == WALK_IN[0])
    )  # fmt: skip
    arrived = min(first_day.starts_at - timedelta(minutes=10), now)  # before the start
    if walk_in is None:
        person = db.session.scalar(sa.select(Person).where(Person.email == WALK_IN[0])) or Person(
            email=WALK_IN[0], first_name=WALK_IN[1], last_name=WALK_IN[2], language="fr",
            created_at=arrived, updated_at=arrived)  # fmt: skip
        walk_in = Registration(
            event_id=event.id, person=person, status=RegistrationStatus.CONFIRMED,
            profile=Profile.ENTREPRENEUR, organisation_name=WALK_IN[3], consent_at=arrived,
            source=RegistrationSource.WALK_IN, created_at=arrived, updated_at=arrived,
        )  # fmt: skip
        db.session.add(walk_in)
        added["registrations"] += 1
    db.session.flush()

    registrations = db.session.scalars(
        sa.select(Registration).join(Person)
        .where(Registration.event_id == event.id,
               Registration.status == RegistrationStatus.CONFIRMED,
               Registration.id != walk_in.id)
        .order_by(Person.email)
    ).all()  # fmt: skip
    answered = set(db.session.scalars(
        sa.select(RegistrationAnswer.registration_id)
        .where(RegistrationAnswer.question_id == question.id)))  # fmt: skip
    for n, registration in enumerate(registrations[::5]):
        if registration.id not in answered:
            answer = DOOR_ANSWERS[n % len(DOOR_ANSWERS)]
            db.session.add(RegistrationAnswer(
                registration_id=registration.id, question_id=question.id, value=answer))
    for registration, note in zip(registrations[1::17], DOOR_NOTES, strict=False):
        registration.note = registration.note or note
    # Who came early, by arrival: every third person, then the walk-in.
    came = [*registrations[::3], walk_in]
    nonces = [f"demo-{event.slug}-{r.id}" for r in came]
    there = set(db.session.scalars(sa.select(CheckIn.nonce).where(CheckIn.nonce.in_(nonces))))
    for n, (registration, nonce) in enumerate(zip(came, nonces, strict=True)):
        if nonce in there:
            continue
        at = min(first_day.starts_at - timedelta(minutes=25) + timedelta(minutes=2 * n), now)
        is_walk_in = registration is walk_in
        db.session.add(CheckIn(
            nonce=nonce, registration_id=registration.id, session_id=first_day.id,
            method=CheckInMethod.WALK_IN if is_walk_in else (
                CheckInMethod.SEARCH if n % 7 == 6 else CheckInMethod.SCAN),
            scanned_at=arrived if is_walk_in else at, received_at=arrived if is_walk_in else at,
            device="Entrée principale", user_id=door.id,
        ))  # fmt: skip
        added["check-ins"] += 1
    db.session.flush()
