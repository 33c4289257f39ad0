"""The publisher settings page (admin): who publishes the dataset as open data.

The same settings as ``jarjesto publisher``; saving goes through
:meth:`Workspace.set_publisher`, so it is validated and audited, and a wrong
value is shown beside its field with nothing saved.
"""

from __future__ import annotations

from typing import Any, Final

from flask import Blueprint, flash, redirect, render_template, request, url_for

from jarjesto_core.errors import DatasetError
from jarjesto_core.i18n import N_
from jarjesto_core.model import Name, Publisher
from jarjesto_web.auth import current_user, require
from jarjesto_web.context import dataset, workspace
from jarjesto_web.i18n import lang, t

__all__ = ["FIELDS", "bp"]

bp = Blueprint("publisher", __name__)

#: The form's fields, in order: (name, label msgid).
FIELDS: Final = (
    ("name_fi", N_("Name in Finnish")),
    ("name_sv", N_("Name in Swedish")),
    ("name_en", N_("Name in English")),
    ("prefix", N_("360Giving prefix (360G-...)")),
    ("org_id", N_("Org-id (such as FI-PRO-1234567-1)")),
    ("licence", N_("Licence (its web address)")),
    ("url", N_("Web site")),
    ("language", N_("Language of published texts (fi, sv or en)")),
    ("business_ids", N_("Business IDs of public bodies, one a line: municipality:167=1234567-1")),
)


def _cells(publisher: Publisher | None) -> dict[str, str]:
    if publisher is None:
        return {"language": "fi"}
    names = publisher.name.as_dict()
    return {
        **{f"name_{code}": text for code, text in names.items()},
        "prefix": publisher.prefix or "",
        "org_id": publisher.org_id or "",
        "licence": publisher.licence or "",
        "url": publisher.url or "",
        "language": publisher.language,
        "business_ids": "\n".join(f"{k}={v}" for k, v in publisher.business_ids.items()),
    }


def _from_form(form: Any) -> tuple[Publisher | None, dict[str, list[str]]]:
    """The publisher the form describes, or the problems of its fields."""
    text = {name: form.get(name, "").strip() for name, _label in FIELDS}
    names = {code: text[f"name_{code}"] for code in ("fi", "sv", "en") if text[f"name_{code}"]}
    errors: dict[str, list[str]] = {}
    if not names:
        if not any(text[name] for name, _label in FIELDS if name != "language"):
            return None, {}  # an empty form removes the settings
        errors["name_fi"] = [t(N_("Give the publisher's name in at least one language."))]
    business_ids: dict[str, str] = {}
    for line in text["business_ids"].splitlines():
        party, sep, value = line.partition("=")
        if not line.strip():
            continue
        if not sep:
            errors.setdefault("business_ids", []).append(
                t(N_("%(found)s: write a public body, =, and its business ID"), found=line)
            )
            continue
        business_ids[party.strip()] = value.strip()
    if errors:
        return None, errors
    return (
        Publisher(
            name=Name(**names),
            prefix=text["prefix"] or None,
            org_id=text["org_id"] or None,
            licence=text["licence"] or None,
            url=text["url"] or None,
            language=text["language"] or "fi",
            business_ids=business_ids,
        ),
        {},
    )


@bp.route("/publisher", methods=["GET", "POST"])
@require("admin")
def settings() -> Any:
    """Show and change the publisher settings."""
    if request.method == "GET":
        return render_template(
            "publisher.html", fields=FIELDS, cells=_cells(dataset().publisher), errors={}
        )
    cells = {name: request.form.get(name, "") for name, _label in FIELDS}
    publisher, errors = _from_form(request.form)
    if not errors:
        user = current_user()
        assert user is not None
        try:
            workspace().set_publisher(publisher, actor=user.name)
        except DatasetError as exc:
            for problem in exc.problems:
                field = (problem.field or "").removeprefix("publisher.").split(".")[0]
                errors.setdefault(field if field in cells else "name_fi", []).append(
                    problem.render(lang()).split(": ", 1)[-1]
                )
    if errors:
        return render_template("publisher.html", fields=FIELDS, cells=cells, errors=errors), 400
    flash(t(N_("The publisher settings were saved.")))
    return redirect(url_for("publisher.settings"))
