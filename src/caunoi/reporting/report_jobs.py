"""The consolidated report generated in the background: a ``caunoi.jobs`` task writes the
DOCX, PDF or XLSX with its progress, stores the file under ``media/reporting/reports/`` and
records where in the job's result; the page follows the job (htmx) and the API polls it.

The file is served only to whoever may still see the job (its starter, administrators) and
still reviews the campaign, and only if its first bytes are those of its format. The command
line stays synchronous (``caunoi report``).
"""

from __future__ import annotations

import io
import secrets
import zipfile
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django_tasks import task

from caunoi.core.errors import DomainError
from caunoi.reporting import access
from caunoi.reporting.models import Campaign

REPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The member an Office file of this format must contain.
_OFFICE_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
STEPS = 3  # gather, write, store
FOLDER = "reporting/reports"


def report_start(*, user: Any, campaign: Campaign, fmt: str) -> Any:
    """Start writing ``campaign``'s consolidated report as ``fmt``; returns the ``Job``.
    For the campaign's officers only (``PermissionDenied`` otherwise)."""
    from django.utils.translation import gettext as _

    from caunoi.jobs.services import job_enqueue

    if fmt not in REPORT_TYPES:
        raise DomainError(
            _("Choose the report's format: DOCX, PDF or XLSX."), errors={"format": [fmt]}
        )
    if not access.can_review(user, campaign):
        raise PermissionDenied
    label = format_lazy(
        "{} ({}): {}", gettext_lazy("Consolidated report"), fmt.upper(), campaign.title_vi[:200]
    )
    return job_enqueue(
        generate_report, campaign.pk, fmt, user.pk, label=label, user=user, total=STEPS
    )


@task()
def generate_report(campaign_id: int, fmt: str, user_id: int) -> dict[str, Any]:
    from django.utils.translation import gettext as _

    from caunoi.accounts.models import User
    from caunoi.jobs.services import JobFailed, job_current, job_progress
    from caunoi.reporting.consolidated import consolidate
    from caunoi.reporting.outputs import render

    user = User.objects.filter(pk=user_id, is_active=True).first()
    campaign = Campaign.objects.select_related("owner_unit").filter(pk=campaign_id).first()
    if campaign is None:
        raise JobFailed(_("The campaign no longer exists."))
    if user is None or not access.can_review(user, campaign):
        raise JobFailed(_("The account that started this report may no longer read it."))
    job_progress(done=0, total=STEPS)
    data = consolidate(campaign, reader=user)
    job_progress(done=1)
    content = render(data, fmt)
    job_progress(done=2)
    job = job_current()
    name = f"{FOLDER}/{campaign.pk}/{job.pk if job else 0}-{secrets.token_hex(8)}.{fmt}"
    path = default_storage.save(name, ContentFile(content))
    job_progress(done=3)
    return {
        "campaign": campaign.pk,
        "format": fmt,
        "path": path,
        "size": len(content),
        "name": f"bao-cao-tong-hop-{campaign.pk}.{fmt}",
    }


def report_job(user: Any, pk: int) -> Any:
    """A report job this user may see (404 for any other job, or someone else's)."""
    from caunoi.jobs.services import job_for_user

    job = job_for_user(user, pk)
    if not job.kind.endswith("report_jobs.generate_report"):
        raise Http404
    return job


def report_file(user: Any, pk: int) -> FileResponse:
    """The finished report of job ``pk``: for its reader, if they still review the campaign,
    and only a file that is what its format says (404 otherwise)."""
    job = report_job(user, pk)
    result = job.result if isinstance(job.result, dict) else {}
    fmt, path = result.get("format"), str(result.get("path") or "")
    if job.state != job.State.SUCCEEDED or fmt not in REPORT_TYPES:
        raise Http404
    campaign = access.campaign_for_user(user, int(result.get("campaign") or 0))
    if not access.can_review(user, campaign):
        raise PermissionDenied
    if not path.startswith(f"{FOLDER}/{campaign.pk}/") or ".." in path:
        raise Http404
    try:
        content = default_storage.open(path, "rb").read()
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    if not is_format(content, fmt):
        raise Http404
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=str(result.get("name") or f"bao-cao.{fmt}"),
        content_type=REPORT_TYPES[fmt],
    )


def is_format(content: bytes, fmt: str) -> bool:
    """Whether ``content`` is a PDF, or an Office file of this kind (a ZIP holding its part)."""
    if fmt == "pdf":
        return content.startswith(b"%PDF-")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return _OFFICE_PART[fmt] in archive.namelist()
    except (zipfile.BadZipFile, KeyError):
        return False
