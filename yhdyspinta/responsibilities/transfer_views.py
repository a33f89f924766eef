"""Importing an area's responsibility table from a file, its template, and its export.

Export and the template need the right to read the area's table; import needs the right to
change at least one column of it, and `transfer.import_table` checks each row's column again.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from yhdyspinta.accounts import access
from yhdyspinta.core import tables
from yhdyspinta.core.tables import ImportRejected, RowError
from yhdyspinta.registry.models import Organisation

from . import transfer
from .views import editable_parties


class TableImportForm(forms.Form):
    file = forms.FileField(
        validators=[tables.validate_upload_size],
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy(
            "The first row holds the column names; one person named for one theme per row."
        ),
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def table_import(request: HttpRequest, code: str) -> HttpResponse:
    # Not `area_for_user`: an organisation that joined the table may own a column without
    # belonging to the area.
    area = get_object_or_404(Organisation.objects.areas(), code=code)
    editable = editable_parties(request, area)
    if not editable:
        raise PermissionDenied
    form = TableImportForm(request.POST or None, request.FILES or None)
    errors: list[RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = transfer.import_table(
                actor=request.user, area=area, name=upload.name, content=upload.read()
            )
        except ImportRejected as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d entry was imported: %(created)d new, %(updated)d changed.",
                    "%(count)d entries were imported: %(created)d new, %(updated)d changed.",
                    summary.count,
                )
                % {"count": summary.count, "created": summary.created, "updated": summary.updated},
            )
            return redirect("responsibilities:matrix", code=area.code)
    return render(
        request,
        "responsibilities/import.html",
        {
            "area": area,
            "form": form,
            "errors": errors,
            "columns": transfer.column_help(),
            "editable": editable,
            "nav": "responsibilities",
        },
        status=400 if errors or form.errors else 200,
    )


@login_required
@require_safe
def table_template(request: HttpRequest, code: str) -> HttpResponse:
    area = access.get_area_for_user(request.user, code)
    return _download(
        transfer.template_xlsx(area),
        transfer.XLSX_TYPE,
        f"responsibilities-{area.code}-template.xlsx",
    )


@login_required
@require_safe
def table_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The whole table; `?columns=own` keeps only the columns the user may change, ready to be
    edited and imported again."""
    if fmt not in ("xlsx", "csv"):
        raise Http404
    area = access.get_area_for_user(request.user, code)
    parties = None
    if request.GET.get("columns") == "own":
        parties = editable_parties(request, area)
    filename = f"responsibilities-{area.code}-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "xlsx":
        return _download(transfer.export_xlsx(area, parties), transfer.XLSX_TYPE, filename)
    return _download(transfer.export_csv(area, parties), transfer.CSV_TYPE, filename)
