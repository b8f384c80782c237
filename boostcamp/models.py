"""Every model, imported in one place so that Alembic and the shell see the whole schema."""

from boostcamp.audit.models import AuditEntry  # noqa: F401
from boostcamp.auth.models import ApiToken, MemberRole, Membership, StaffRole, User  # noqa: F401
from boostcamp.auth.two_factor_models import TwoFactor  # noqa: F401
from boostcamp.checkin.models import CheckIn, CheckInKind, CheckInMethod  # noqa: F401
from boostcamp.core.models import Setting  # noqa: F401
from boostcamp.events.models import (  # noqa: F401
    Audience,
    Event,
    EventAudience,
    EventKind,
    EventOrganiser,
    EventSession,
    EventStatus,
    OrganiserRole,
)
from boostcamp.ical.models import CalendarFeed  # noqa: F401
from boostcamp.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus  # noqa: F401
from boostcamp.organisations.models import Logo, Organisation, OrganisationKind, PlatformType  # noqa: F401,E501
from boostcamp.outcomes.impact.models import ImpactMetric, ImpactTarget  # noqa: F401
from boostcamp.outcomes.imports.models import ImportKind, ImportUpload  # noqa: F401
from boostcamp.outcomes.records.models import (  # noqa: F401
    Certification,
    JobsSnapshot,
    Startup,
    StartupMember,
    StartupRole,
    StartupStatus,
)
from boostcamp.outcomes.surveys.models import FollowupSurvey, SurveyReview  # noqa: F401
from boostcamp.privacy.models import ErasureRequest  # noqa: F401
from boostcamp.registrations.models import (  # noqa: F401
    Consent,
    EventQuestion,
    Person,
    Profile,
    QuestionKind,
    Registration,
    RegistrationAnswer,
    RegistrationSource,
    RegistrationStatus,
)
from boostcamp.admission.models import (  # noqa: F401
    ApplicationDecision,
    Review,
    ReviewCriterion,
    ReviewScore,
    ReviewSettings,
)
from boostcamp.programmes.models import (  # noqa: F401
    Programme,
    ProgrammeEvent,
    ProgrammeOrganiser,
    ProgrammeRegistration,
)
