"""The staff's imports of outcomes (a CSV or XLSX file, previewed then confirmed) and the
exports of every outcomes table (MANAGE_OUTCOMES), on the outcomes_records blueprint."""

import sqlalchemy as sa
from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from boostcamp.audit.services import web_actor
from boostcamp.core.policy import Action, require
from boostcamp.core.errors import Conflict
from boostcamp.core.extensions import db
from boostcamp.outcomes.blueprints import staff as bp
from boostcamp.outcomes.imports import exports, importer
from boostcamp.outcomes.imports.forms import ImportForm
from boostcamp.outcomes.imports.models import ImportKind, ImportUpload
from boostcamp.outcomes.records.forms import ActionForm
from boostcamp.core import exports as downloads



def _upload_or_404(key: str) -> ImportUpload:
    upload = db.session.scalar(sa.select(ImportUpload).where(ImportUpload.key == key))
    if upload is None or upload.user_id != current_user.id or upload.confirmed_at:
        abort(404)
    return upload


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/import", methods=["GET", "POST"])
@login_required
def upload_import():
    """Step 1: the file is kept (in the database, so any worker finds it) and checked on
    the preview page. static/js/import-upload.js sends it with a progress bar and asks
    for JSON: where to go next, or the form's errors."""
    require(Action.MANAGE_OUTCOMES)
    # The one body larger than MAX_CONTENT_LENGTH: the file, and the form around it.
    limit = current_app.config["IMPORT_MAX_BYTES"]
    request.max_content_length = limit + 64 * 1024
    form = ImportForm()
    if form.validate_on_submit():
        content = form.file.data.read(limit + 1)
        if len(content) > limit:
            form.file.errors = [_("The file is too large (at most %(mb)d MB).", mb=limit // 2**20)]
        else:
            upload = importer.keep_upload(ImportKind(form.kind.data), content,
                                          form.file.data.filename, current_user.id)  # fmt: skip
            next_url = url_for(".preview_import", key=upload.key)
            return jsonify(next=next_url) if _wants_json() else redirect(next_url)
    if form.is_submitted() and _wants_json():
        return jsonify(errors={name: f.errors for name, f in form._fields.items() if f.errors}), 400
    return render_template("outcomes/import.html", form=form, columns=importer.COLUMNS)


@bp.get("/import/<key>")
@login_required
def preview_import(key: str):
    require(Action.MANAGE_OUTCOMES)
    upload = _upload_or_404(key)
    kind, filename = upload.kind, upload.filename
    result, problem = importer.dry_run(upload)
    return render_template("outcomes/import_preview.html", key=key, kind=kind, filename=filename,
                           result=result, problem=problem, form=ActionForm(),
                           columns=[c.name for c in importer.COLUMNS[kind]])  # fmt: skip


@bp.post("/import/<key>/confirm")
@login_required
def confirm_import(key: str):
    """Step 2: the whole file again, committed only if no row has an error."""
    require(Action.MANAGE_OUTCOMES)
    upload = _upload_or_404(key)
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".preview_import", key=key))
    try:
        result = importer.confirm_upload(upload, actor=web_actor())
    except Conflict as e:  # the same file confirmed twice at once: the other one imported it
        flash(e.message, "info")
        return redirect(url_for(".upload_import"))
    except importer.FileRejected:
        flash(_("Nothing was imported: the file has errors."), "error")
        return redirect(url_for(".preview_import", key=key))
    flash(_("Imported: %(created)d new, %(updated)d updated.", created=result.created,
            updated=result.updated), "success")  # fmt: skip
    return redirect(url_for(".upload_import"))


# ---------------------------------------------------------------- export


@bp.get("/export/<any(startups, members, jobs, certifications):table>.<any(csv, xlsx):fmt>")
@login_required
def export_table(table: str, fmt: str):
    require(Action.MANAGE_OUTCOMES)
    header, rows = exports.export_rows(table)
    return downloads.table(fmt, header, rows, name=f"outcomes-{table}", title=table)
