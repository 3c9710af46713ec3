"""State changes of the school's educational advice (reg 6(1)(b); CoP 9.49) and of the documents
attached to any advice: saved as a draft with stale edits refused, and uploads checked by content."""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from sendadmin.accounts.audit import audit_record

from .models import AdviceAttachment, AdviceRequest
from .services import ADVICE_CONFLICT, StaleVersionError

# The parts of the school's educational advice, in the order the form and the PDF show them.
ADVICE_FIELDS = (
    "needs",
    "attainment",
    "attendance",
    "tried",
    "outcomes_sought",
    "pupil_views",
    "parent_views",
)


def field_label(name: str) -> str:
    """The advice part's heading, as the model names it."""
    return str(getattr(AdviceRequest._meta.get_field(name), "verbose_name", name))


MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENT_LABEL = "10 MB"
# A Word document has a few dozen parts; a zip listing thousands is not one (and costs memory).
MAX_DOCX_ENTRIES = 5000


def _save(obj: Any, by: Any) -> None:
    obj._history_user = by
    obj.save()


def _refuse_if_closed(advice: AdviceRequest) -> None:
    if advice.status == AdviceRequest.Status.WITHDRAWN:
        raise ValidationError("The LA withdrew this request, so the advice cannot be changed.")
    if advice.is_submitted and advice.school_id is not None:
        raise ValidationError(
            f"This advice was already sent to the LA on {advice.submitted_on:%-d %B %Y} and "
            "cannot be changed. Contact the LA's caseworker if something needs correcting."
        )


@transaction.atomic
def advice_save(
    *, advice: AdviceRequest, data: Mapping[str, str], version: int | None, by: Any
) -> AdviceRequest:
    """Save the school's draft. Sending it is ehcp.services.advice_submit.

    A form opened before someone else's save is refused (StaleVersionError) unless it says what is
    saved already; the same form sent twice changes nothing the second time.
    """
    advice = AdviceRequest.objects.select_for_update().get(pk=advice.pk)
    if advice.school_id is None:
        raise ValidationError("Only the school writes educational advice here.")
    _refuse_if_closed(advice)
    new = {name: (data.get(name) or "").strip() for name in ADVICE_FIELDS}
    if all(getattr(advice, name) == value for name, value in new.items()):
        return advice
    if version is None or version != advice.version:
        raise StaleVersionError(ADVICE_CONFLICT)
    for name, value in new.items():
        setattr(advice, name, value)
    advice.version += 1
    _save(advice, by)
    audit_record(by, "ehcp.advice.saved", advice, version=advice.version)
    return advice


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("PDF", "application/pdf", ("pdf",))
PNG = FileType("PNG image", "image/png", ("png",))
JPEG = FileType("JPEG image", "image/jpeg", ("jpg", "jpeg"))
DOCX = FileType(
    "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
)
EXTENSION_FOR = {t.content_type: t.extensions[0] for t in (PDF, PNG, JPEG, DOCX)}
ALLOWED = "a PDF, a Word document (.docx), or a PNG or JPEG image"


def _is_docx(upload: UploadedFile) -> bool:
    """A zip whose listing names word/document.xml; nothing is extracted."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            return len(infos) <= MAX_DOCX_ENTRIES and any(
                i.filename == "word/document.xml" for i in infos
            )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        upload.seek(0)


def sniff(upload: UploadedFile) -> FileType | None:
    """The type the file's first bytes show, whatever its name or the browser say."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04") and _is_docx(upload):
        return DOCX
    return None


def clean_name(name: str) -> str:
    """The uploader's file name as data only: no folders, no control characters, 200 characters."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[:200] or "attachment"


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _check_upload(upload: UploadedFile, name: str) -> FileType:
    size = upload.size or 0
    if size == 0:
        raise ValidationError(f"The file {name} is empty.")
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            f"The file {name} is larger than {MAX_ATTACHMENT_LABEL}. Attach a smaller file, or "
            "split it into parts."
        )
    kind = sniff(upload)
    extension = _extension(name)
    if kind is None:
        raise ValidationError(f"The file {name} is not {ALLOWED}, so it cannot be attached.")
    if extension not in kind.extensions:
        shown = f".{extension}" if extension else "correctly named"
        raise ValidationError(
            f"The file {name} is not a {shown} file: its contents are a {kind.label}. Rename it "
            f"to end .{kind.extensions[0]}, or attach the right file."
        )
    return kind


@transaction.atomic
def attachment_add(*, advice: AdviceRequest, upload: UploadedFile, by: Any) -> AdviceAttachment:
    """Attach a document to advice: at most 10 MB, a PDF, Word document, PNG or JPEG by its content
    (and named as one). The same file attached twice is one attachment."""
    advice = AdviceRequest.objects.select_for_update().get(pk=advice.pk)
    _refuse_if_closed(advice)
    name = clean_name(upload.name or "")
    kind = _check_upload(upload, name)
    sha256 = _sha256(upload)
    existing = AdviceAttachment.objects.filter(advice=advice, sha256=sha256).first()
    if existing is not None:
        return existing
    attachment = AdviceAttachment(
        advice=advice,
        original_name=name,
        content_type=kind.content_type,
        size=upload.size or 0,
        sha256=sha256,
        uploaded_by=by,
    )
    attachment.file.save(f"upload.{kind.extensions[0]}", upload, save=False)
    try:
        with transaction.atomic():
            _save(attachment, by)
    except IntegrityError:
        # The same file sent twice at once: the other request stored it.
        attachment.file.delete(save=False)
        return AdviceAttachment.objects.get(advice=advice, sha256=sha256)
    audit_record(by, "ehcp.attachment.added", attachment, advice=advice.pk, size=attachment.size)
    return attachment
