"""``/ingest`` (token): post articles to store; ``/jobs/{id}``: follow their progress.

Three ways in, one pipeline: a JSON article, a JSON Lines batch
(``Content-Type: application/x-ndjson``), or files uploaded as ``multipart/form-data``
(any field name; optional ``text``/``title``/``published``/``source``/``url`` fields add
a pasted article).  The inputs land in a temporary folder the job ingests and deletes.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..config import Settings
from ..store import Store
from ..store.access import get_job
from .auth import require_reader, require_writer
from .deps import get_store
from .params import ID_PATTERN
from .schemas import IngestArticle, JobAccepted, JobOut

router = APIRouter(tags=["ingest"])

FORM_FIELDS = ("text", "title", "published", "source", "url")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")

_BODY_DOC: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": IngestArticle.model_json_schema()},
    "application/x-ndjson": {"schema": {"type": "string",
                                        "description": "one JSON article per line"}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
        **{f: {"type": "string"} for f in FORM_FIELDS}}}},
}}}


def _validation_message(exc: ValidationError, where: str) -> str:
    parts = []
    for e in exc.errors():
        loc = ".".join(str(x) for x in e["loc"]) or "body"
        parts.append(f"{loc}: {e['msg']}")
    return f"{where}: " + "; ".join(parts)


def _jsonl_line(data: Any, where: str) -> str:
    try:
        article = IngestArticle.model_validate(data)
    except ValidationError as exc:
        raise HTTPException(422, _validation_message(exc, where)) from None
    return json.dumps(article.model_dump(mode="json", exclude_none=True), ensure_ascii=False)


def _safe_name(index: int, name: str | None) -> str:
    base = Path(name or "upload.txt").name
    return f"{index:04d}_{_UNSAFE.sub('_', base)[-120:] or 'upload.txt'}"


async def _bounded_form(request: Request) -> Any:
    """The multipart form, with at most ``api_max_upload_files`` files (413 above).

    The body as a whole is bounded by ``BodySizeLimit``; a pasted text field may be as
    large as the body (Starlette's own 1 MB per-field default would cut a long article).
    """
    settings: Settings = request.app.state.settings
    max_files = settings.api_max_upload_files
    body_limit = int(settings.api_max_body_mb * 2**20)
    try:
        return await request.form(max_files=max_files, max_fields=len(FORM_FIELDS) + max_files,
                                  max_part_size=max(body_limit, 1))
    except StarletteHTTPException as exc:
        # Starlette reports its limits as 400s; a limit passed is a 413 here.
        detail = str(exc.detail)
        if detail.startswith("Too many files") or detail.startswith("Too many fields"):
            raise HTTPException(413, f"too many parts in the upload: at most {max_files} "
                                     "files per request") from None
        raise


async def _stage(request: Request, folder: Path) -> int:
    """Write the posted inputs into ``folder``; how many inputs (articles or files)."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json":
        try:
            data = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise HTTPException(422, f"body is not JSON: {exc}") from None
        (folder / "article.jsonl").write_text(_jsonl_line(data, "body") + "\n", "utf-8")
        return 1
    if ctype in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines"):
        raw = await request.body()
        try:
            lines = [ln for ln in raw.decode("utf-8").splitlines() if ln.strip()]
        except UnicodeDecodeError:
            raise HTTPException(422, "JSON Lines body is not UTF-8") from None
        if not lines:
            raise HTTPException(422, "JSON Lines body holds no line")
        # Lines are checked by the reader: a bad line is reported in the job and skipped.
        (folder / "batch.jsonl").write_bytes(raw)
        return len(lines)
    if ctype == "multipart/form-data":
        form = await _bounded_form(request)
        count = 0
        pasted: dict[str, Any] = {}
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                target = folder / _safe_name(count, value.filename)
                with target.open("wb") as fh:
                    shutil.copyfileobj(value.file, fh)
                count += 1
            elif key in FORM_FIELDS and str(value).strip():
                pasted[key] = str(value)
        if pasted:
            if "text" not in pasted:
                raise HTTPException(422, "form fields given without 'text'")
            (folder / "pasted.jsonl").write_text(_jsonl_line(pasted, "form") + "\n", "utf-8")
            count += 1
        if not count:
            raise HTTPException(422, "nothing to ingest: upload files or give a 'text' field")
        return count
    raise HTTPException(415, "send application/json, application/x-ndjson or "
                             f"multipart/form-data, not {ctype or 'no content type'!r}")


@router.post("/ingest", status_code=202, response_model=JobAccepted, openapi_extra=_BODY_DOC)
async def post_ingest(request: Request,
                      who: Annotated[str, Depends(require_writer)]) -> JobAccepted:
    """Queue articles for ingest; follow the job at ``/jobs/{job_id}``."""
    folder = Path(tempfile.mkdtemp(prefix="opsroom-ingest-"))
    try:
        total = await _stage(request, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    job_id = request.app.state.jobs.submit(folder, who, total)
    return JobAccepted(job_id=job_id)


@router.get("/jobs/{job_id}", response_model=JobOut, dependencies=[Depends(require_reader)])
def job_status(store: Annotated[Store, Depends(get_store)], job_id: str) -> JobOut:
    """State and counters of an ingest job (``total`` counts the posted inputs)."""
    if not re.fullmatch(ID_PATTERN, job_id):
        raise HTTPException(422, "job id must be letters, digits, '.', '_' or '-'")
    job = get_job(store, job_id)
    if job is None:
        raise HTTPException(404, f"no job with id {job_id!r}")
    return JobOut(**{k: v for k, v in job.items() if k != "who"})
