"""The partner API on the token's own organisation: its public details and its logo."""

import marshmallow as ma
from flask import url_for
from marshmallow import fields

from boostcamp.api.views import blp, current_token, errors_documented
from boostcamp.organisations import logos


class LogoOut(ma.Schema):
    url = fields.Url(metadata={"description": "Served by the app, PNG; the address changes "
                                              "with the image, so it may be cached for good."})
    width = fields.Integer()
    height = fields.Integer()


class OwnOrganisationOut(ma.Schema):
    slug = fields.String()
    name = fields.String()
    kind = fields.String(metadata={"description": "centre, platform or sponsor"})
    platform_type = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    description = fields.String(allow_none=True, metadata={"description": "Markdown."})
    page_url = fields.Url(metadata={"description": "Its public page."})
    logo = fields.Nested(LogoOut, allow_none=True, metadata={"description": "null: no logo."})


@blp.route("/organisation", methods=["GET"])
@blp.response(200, OwnOrganisationOut)
@errors_documented(401)
def get_organisation():
    """The token's organisation

    Its public details and the address of its logo (uploaded by its managers on the staff
    pages), as shown on its page, its events and their attendance certificates.
    """
    org = current_token().organisation
    logo = None
    if org.logo_sha256:
        stored = logos.get(org.logo_sha256)
        logo = dict(url=url_for("logos.show_logo", sha256=org.logo_sha256, ext="png",
                                _external=True), width=stored.width, height=stored.height)
    return dict(
        slug=org.slug, name=org.name, kind=org.kind.value,
        platform_type=org.platform_type.value if org.platform_type else None,
        city=org.city, website=org.website, description=org.description, logo=logo,
        page_url=url_for("organisations.show_organisation", slug=org.slug, _external=True),
    )  # fmt: skip
