"""Boostcamp: event and Boostcamp registrations for an innovation centre and its partners."""

import gc
import os
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    # Building the app creates some 200,000 objects that live as long as the process; the
    # cyclic garbage collector, left on, scanned them again and again while they were made:
    # a sixth of a process's start (`import wsgi`: 1.9–2.1 s of CPU, 1.6–1.8 s without). Every
    # web and mail worker starts this way.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _create_app(test_config)
    finally:
        if collecting:
            gc.enable()


def _create_app(test_config: dict | None) -> Flask:
    # The imports below stay inside: every `import boostcamp.<floor>` runs this file first,
    # so at module level they would load the whole app (and its cycles) for any one module.
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object("boostcamp.config.Config")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env()  # FLASK_SQLALCHEMY_DATABASE_URI, FLASK_MAIL_SERVER …
    else:
        app.config.from_mapping(test_config)

    from boostcamp.core import settings

    settings.finish(app)
    if app.config["PROXY_FIX_X_FOR"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_FIX_X_FOR"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    from boostcamp.core.extensions import (
        babel, cache, csrf, db, limiter, login_manager, mail, migrate,
    )  # fmt: skip

    db.init_app(app)
    from boostcamp.core.db import render_migration_item

    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        render_item=render_migration_item,
    )
    mail.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)

    from boostcamp.core import i18n

    babel.init_app(app, locale_selector=i18n.select_locale)

    from boostcamp import models  # noqa: F401  (every table known before the first request)
    from boostcamp.core import policy
    from boostcamp.policy import rules

    policy.install(rules)  # the floors ask core.policy; the rules, on top, answer
    from boostcamp.admission.views import bp as admission_bp
    from boostcamp.admission.views import public_bp as applications_bp
    from boostcamp.api import views as api_views
    from boostcamp.api.staff_views import bp as staff_api_bp
    from boostcamp.auth.two_factor_views import bp as two_factor_bp
    from boostcamp.auth.views import bp as auth_bp
    from boostcamp.checkin.screen_views import bp as checkin_screen_bp
    from boostcamp.checkin.staff_views import bp as staff_checkin_bp
    from boostcamp.core.views import bp as core_bp
    from boostcamp.events.staff_views import bp as staff_events_bp
    from boostcamp.events.organisation_views import bp as orgs_bp
    from boostcamp.events.views import bp as events_bp
    from boostcamp.ical.views import bp as ical_bp
    from boostcamp.mail.views import bp as staff_mail_bp
    from boostcamp.organisations.staff_views import bp as staff_orgs_bp
    from boostcamp.organisations.views import logos_bp
    from boostcamp.outcomes.blueprints import blueprints as outcomes_blueprints
    from boostcamp.privacy.staff_views import bp as staff_people_bp
    from boostcamp.privacy.staff_views import records_bp as staff_privacy_bp
    from boostcamp.privacy.views import bp as privacy_bp
    from boostcamp.programmes.staff_views import bp as staff_programmes_bp
    from boostcamp.programmes.views import bp as programmes_bp
    from boostcamp.registrations.staff_views import bp as staff_registrations_bp
    from boostcamp.registrations.views import bp as registrations_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(two_factor_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(orgs_bp)
    app.register_blueprint(logos_bp)
    app.register_blueprint(staff_events_bp)
    app.register_blueprint(staff_orgs_bp)
    app.register_blueprint(staff_api_bp)
    app.register_blueprint(ical_bp)
    app.register_blueprint(registrations_bp)
    app.register_blueprint(staff_mail_bp)
    app.register_blueprint(staff_registrations_bp)
    app.register_blueprint(checkin_screen_bp)
    app.register_blueprint(staff_checkin_bp)
    for outcomes_bp in outcomes_blueprints():  # outcomes_records, surveys, staff_impact
        app.register_blueprint(outcomes_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(staff_people_bp)
    app.register_blueprint(staff_privacy_bp)
    app.register_blueprint(admission_bp)
    app.register_blueprint(applications_bp)
    app.register_blueprint(programmes_bp)
    app.register_blueprint(staff_programmes_bp)
    api_views.init_app(app)

    from boostcamp.api import cli as api_cli
    from boostcamp.auth import cli as auth_cli
    from boostcamp.auth import two_factor_cli  # noqa: F401  (adds to `users`)
    from boostcamp.core import error_pages, static, unit_of_work, web
    from boostcamp.demo import cli as demo_cli
    from boostcamp.mail import cli as mail_cli
    from boostcamp.organisations import cli as orgs_cli
    from boostcamp.privacy import cli as privacy_cli

    error_pages.register(app)
    web.register(app)
    static.register(app)
    unit_of_work.register(app)
    app.cli.add_command(orgs_cli.orgs)
    app.cli.add_command(auth_cli.users)
    app.cli.add_command(demo_cli.demo)
    app.cli.add_command(api_cli.api_token)
    app.cli.add_command(mail_cli.mail)
    app.cli.add_command(privacy_cli.privacy)

    os.makedirs(app.instance_path, exist_ok=True)
    return app
