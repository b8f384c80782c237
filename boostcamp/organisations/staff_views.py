"""Staff pages: organisations and their members.

Centre staff manage every organisation and create new ones; a partner's manager manages its
own organisation's details and members. Organisations are public, so a refusal is a 403.
"""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from boostcamp.auth.models import Membership
from boostcamp.core.db import paginate
from boostcamp.core.extensions import db
from boostcamp.core.forms import refusal_flashed, refusal_onto
from boostcamp.core.policy import Action, can, require
from boostcamp.core.web import missing_is_404
from boostcamp.organisations import logos, services
from boostcamp.organisations.forms import (
    AddMemberForm,
    MemberRoleForm,
    OrganisationForm,
)
from boostcamp.organisations.models import Organisation

bp = Blueprint("staff_orgs", __name__, url_prefix="/staff/organisations")

PER_PAGE = 20
MEMBERS_PER_PAGE = 50


def _org(slug: str) -> Organisation:
    with missing_is_404():
        org = services.get_by_slug(slug)
    require(Action.MANAGE_ORGANISATION, org)
    return org


def _membership(org: Organisation, user_id: int) -> Membership:
    with missing_is_404():
        return services.get_membership(org, user_id)


PARTNER_READ_ONLY = ("name", "slug", "kind", "platform_type", "city", "website")


def _too_large(form: OrganisationForm, org: Organisation | None):
    """A body over MAX_CONTENT_LENGTH (a huge logo): the form again, with the reason at the
    logo, and a 413 status; nothing was read, nothing saved."""
    for name in PARTNER_READ_ONLY if org and not can(current_user, Action.MANAGE_ALL) else ():
        delattr(form, name)
    if org is None or not org.logo_sha256:
        del form.remove_logo
    form.logo.errors = [_("The file is too large (at most %(mb)d MB).",
                          mb=logos.MAX_BYTES // 2**20)]  # fmt: skip
    return render_template("staff/organisation_form.html", form=form, org=org), 413


@bp.get("/")
@login_required
def list_organisations():
    require(Action.ACCESS_STAFF_AREA)
    query = sa.select(Organisation).order_by(Organisation.kind, Organisation.name, Organisation.id)
    if not can(current_user, Action.MANAGE_ALL):
        managed = [
            m.organisation_id
            for m in current_user.memberships
            if can(current_user, Action.MANAGE_ORGANISATION, m.organisation)
        ]
        query = query.where(Organisation.id.in_(managed))
    page = paginate(query, page=request.args.get("page"), per_page=PER_PAGE)
    ids = [o.id for o in page.items]
    members = dict.fromkeys(ids, 0)
    if ids:
        members.update(
            db.session.execute(
                sa.select(Membership.organisation_id, sa.func.count())
                .where(Membership.organisation_id.in_(ids))
                .group_by(Membership.organisation_id)
            ).all()
        )
    return render_template(
        "staff/organisations.html",
        page=page,
        members=members,
        may_create=can(current_user, Action.MANAGE_ALL),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_organisation():
    require(Action.MANAGE_ALL)
    try:
        form = OrganisationForm()
    except RequestEntityTooLarge:
        return _too_large(OrganisationForm(formdata=None), None)
    del form.remove_logo
    if form.validate_on_submit():
        with refusal_onto(form):
            org = services.create_organisation(**form.organisation_fields())
            flash(_("%(name)s is added. Add its members now.", name=org.name), "success")
            return redirect(url_for(".members", slug=org.slug))
    return render_template("staff/organisation_form.html", form=form, org=None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_organisation(slug: str):
    org = _org(slug)
    try:
        form = OrganisationForm() if request.method == "POST" else OrganisationForm(obj=org)
    except RequestEntityTooLarge:
        return _too_large(OrganisationForm(obj=org, formdata=None), org)
    if not can(current_user, Action.MANAGE_ALL):
        # A partner's manager changes its logo and description only: the rest is the centre's
        # (a partner could otherwise turn itself into the centre, or move its address).
        for name in PARTNER_READ_ONLY:
            delattr(form, name)
    if not org.logo_sha256:
        del form.remove_logo
    if form.validate_on_submit():
        with refusal_onto(form):
            services.update_organisation(
                org, user=current_user._get_current_object(), **form.organisation_fields()
            )
            flash(_("Changes saved."), "success")
            return redirect(url_for(".members", slug=org.slug))
    return render_template("staff/organisation_form.html", form=form, org=org)


def _members_page(org: Organisation, add_form: AddMemberForm):
    page = paginate(
        services.members_query(org), page=request.args.get("page"),
        per_page=MEMBERS_PER_PAGE,
    )  # fmt: skip
    role_forms = {
        m.user_id: MemberRoleForm(prefix=f"m{m.user_id}", formdata=None, role=m.role.value)
        for m in page.items
    }
    return render_template(
        "staff/members.html", org=org, page=page, add_form=add_form, role_forms=role_forms
    )


@bp.get("/<slug>/members")
@login_required
def members(slug: str):
    return _members_page(_org(slug), AddMemberForm(formdata=None))


@bp.post("/<slug>/members/add")
@login_required
def add_member(slug: str):
    org = _org(slug)
    form = AddMemberForm()
    if form.validate_on_submit():
        with refusal_onto(form):
            membership = services.add_member(
                org, form.email.data, form.role.data, name=(form.name.data or "").strip() or None,
                user=current_user._get_current_object(),
            )  # fmt: skip
            # The same answer whether the address had an account: the address, as typed.
            flash(_("%(email)s is now a member of %(org)s: we sent them an e-mail to sign in.",
                    email=membership.user.email, org=org.name), "success")  # fmt: skip
            return redirect(url_for(".members", slug=slug))
    return _members_page(org, form)


@bp.post("/<slug>/members/<int:user_id>/role")
@login_required
def change_member_role(slug: str, user_id: int):
    org = _org(slug)
    membership = _membership(org, user_id)
    form = MemberRoleForm(prefix=f"m{user_id}")
    if form.validate_on_submit():
        with refusal_flashed():
            services.change_member_role(
                membership, form.role.data, user=current_user._get_current_object()
            )
            flash(_("Role changed."), "success")
    else:
        flash(_("Choose a role from the list."), "error")
    return redirect(url_for(".members", slug=slug))


@bp.post("/<slug>/members/<int:user_id>/remove")
@login_required
def remove_member(slug: str, user_id: int):
    org = _org(slug)
    membership = _membership(org, user_id)
    name = membership.user.name
    with refusal_flashed():
        services.remove_member(membership, user=current_user._get_current_object())
        flash(_("%(name)s is no longer a member of %(org)s.", name=name, org=org.name), "success")
    return redirect(url_for(".members", slug=slug))
