"""The knowledge base's background task: reading one uploaded document."""

from __future__ import annotations

from django_tasks import task

from caunoi.jobs.services import job_progress


@task()
def ingest_document(document_id: int) -> dict[str, int]:
    """Ingest one document (``services.ingest``: all or nothing; a failure is recorded on
    the document and the job). A retry reads the file again from the start."""
    from caunoi.jobs.services import JobFailed
    from caunoi.kb.ingest import ingest
    from caunoi.kb.models import Document, State

    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return {"passages": 0}
    ingest(document, progress=lambda done, total: job_progress(done=done, total=total))
    document.refresh_from_db()
    if document.state == State.FAILED:
        raise JobFailed(document.error)
    return {"passages": document.passages.count()}
