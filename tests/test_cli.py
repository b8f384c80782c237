from boostcamp.auth.models import MemberRole, StaffRole, User
from boostcamp.core.extensions import db
from boostcamp.organisations.models import Organisation
from boostcamp.auth.services import authenticate
import sqlalchemy as sa


def test_orgs_create_and_list(runner):
    result = runner.invoke(
        args=["orgs", "create", "mind-and-market", "--name", "Mind & Market",
              "--kind", "platform", "--city", "Louvain-la-Neuve"]
    )
    assert result.exit_code == 0, result.output
    runner.invoke(args=["orgs", "create", "mic-mons", "--name", "MIC Mons", "--kind", "centre"])
    result = runner.invoke(args=["orgs", "list"])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert "mic-mons\tcentre\tMIC Mons" in lines
    assert "mind-and-market\tplatform\tMind & Market" in lines


def test_orgs_create_refuses_a_taken_slug_and_a_bad_kind(runner):
    runner.invoke(args=["orgs", "create", "mic-mons", "--name", "MIC Mons", "--kind", "centre"])
    result = runner.invoke(args=["orgs", "create", "mic-mons", "--name", "Other", "--kind", "centre"])
    assert result.exit_code != 0
    assert "already taken" in result.output
    result = runner.invoke(args=["orgs", "create", "x", "--name", "X", "--kind", "bank"])
    assert result.exit_code != 0
    assert "bank" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1


def test_users_create_with_membership(runner):
    runner.invoke(args=["orgs", "create", "mind-and-market", "--name", "Mind & Market", "--kind", "platform"])
    result = runner.invoke(
        args=["users", "create", "Manager@Example.BE", "--password", "long-enough",
              "--org", "mind-and-market", "--org-role", "manager"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User))
    assert user.email == "manager@example.be"
    assert user.role is None
    assert [(m.organisation.slug, m.role) for m in user.memberships] == [
        ("mind-and-market", MemberRole.MANAGER)
    ]
    assert authenticate("manager@example.be", "long-enough") == user


def test_users_create_admin(runner):
    result = runner.invoke(args=["users", "create", "a@example.be", "--password", "long-enough", "--role", "admin"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(User.role)) == StaffRole.ADMIN


def test_users_create_without_a_password_mails_an_invitation(runner, app):
    from boostcamp.mail.models import OutboxMessage

    result = runner.invoke(args=["users", "create", "new@example.be", "--role", "staff"])
    assert result.exit_code == 0, result.output
    assert "invitation" in result.output
    [mail] = db.session.scalars(sa.select(OutboxMessage)).all()
    assert mail.to_address == "new@example.be" and "/auth/invitation/" in mail.body_text
    app.config["SERVER_NAME"] = None
    result = runner.invoke(args=["users", "create", "other@example.be", "--role", "staff"])
    assert result.exit_code != 0 and "FLASK_SERVER_NAME" in result.output


def test_users_create_errors_are_clear_and_non_zero(runner):
    cases = [
        (["users", "create", "a@example.be", "--password", "long-enough", "--org", "nowhere", "--org-role", "manager"],
         "Unknown organisation"),
        (["users", "create", "a@example.be", "--password", "short"], "at least 8"),
        (["users", "create", "a@example.be", "--password", "long-enough", "--org", "x"], "go together"),
        (["users", "create", "a@example.be", "--password", "long-enough", "--role", "boss"], "boss"),
    ]
    for args, message in cases:
        result = runner.invoke(args=args)
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
    runner.invoke(args=["users", "create", "a@example.be", "--password", "long-enough"])
    result = runner.invoke(args=["users", "create", "A@example.be", "--password", "long-enough"])
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
