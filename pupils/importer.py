"""Import the roll from a school MIS CSV export (docs/import-format.md).

The whole file is validated before any row is written; then it is applied in one transaction, in
batches, so a file either goes in completely or not at all. A row that matches the stored pupil
writes nothing (no history row either), so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.models import School

from .codes import (
    NEED_CODES,
    SEN_PROVISIONS,
    YEAR_GROUPS,
    SenProvision,
    need_codes_validate,
)
from .models import Pupil, PupilNeed, SenStatus, TeachingGroup, TeachingGroupPupil, current_q
from .services import pupil_sen_status_set
from .upn import is_valid_upn

BATCH = 500
MAX_BYTES = 10 * 1024 * 1024
MAX_ERRORS = 200
REQUIRED = ("UPN", "Legal Surname", "Legal Forename", "DOB", "Year", "Admission Date")
OPTIONAL = (
    "Preferred Forename",
    "Leaving Date",
    "SEN Provision",
    "Primary Need",
    "Secondary Need",
    "EAL",
    "FSM",
    "Looked After",
    "Reg Group",
)
# Names MIS reports give the registration group column; when a file has several, the first wins.
REG_GROUP_COLUMNS = ("reg group", "registration group", "form", "class")
GROUP_NAME_MAX = TeachingGroup._meta.get_field("name").max_length or 100
TRUE = {"y", "yes", "true", "t", "1"}
FALSE = {"", "n", "no", "false", "f", "0"}
# The pupil fields a file sets; a row is unchanged when all of these and the needs match.
FIELDS = (
    "legal_last_name",
    "legal_first_name",
    "preferred_name",
    "date_of_birth",
    "year_group",
    "admission_date",
    "leaving_date",
    "eal",
    "free_school_meals",
    "looked_after",
)


@dataclass
class ImportRow:
    line: int
    upn: str
    provision: str
    needs: list[str]
    values: dict[str, Any]
    reg_group: str = ""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    left: int = 0
    rows: int = 0


@dataclass
class _Row:
    line: int
    raw: dict[str, str]
    errors: list[str] = field(default_factory=list)

    def get(self, column: str) -> str:
        return (self.raw.get(column.lower()) or "").strip()

    def error(self, column: str, message: str) -> None:
        self.errors.append(f"Row {self.line}, {column}: {message}")


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252; UTF-16 is refused."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise ValidationError(
            "The file is saved as UTF-16 (Excel's 'Unicode text'). Save it as 'CSV UTF-8' and "
            "upload it again."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            "The file could not be read as UTF-8 or Windows-1252 text. Save it as 'CSV UTF-8'."
        ) from exc


def _date(row: _Row, column: str, *, required: bool) -> dt.date | None:
    text = row.get(column)
    if not text:
        if required:
            row.error(column, "is missing")
        return None
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})|(\d{4})-(\d{2})-(\d{2})", text)
    if not match:
        row.error(column, f"{text} is not a date in the form dd/mm/yyyy or yyyy-mm-dd")
        return None
    if match.group(1):
        day, month, year = (int(match.group(i)) for i in (1, 2, 3))
    else:
        year, month, day = (int(match.group(i)) for i in (4, 5, 6))
    try:
        return dt.date(year, month, day)
    except ValueError:
        row.error(column, f"{text} is not a real date")
        return None


def _year(row: _Row) -> int | None:
    text = row.get("Year").upper().replace("YEAR", "").replace(" ", "")
    text = {"R": "0", "RECEPTION": "0", "N1": "-2", "N2": "-1"}.get(text, text.lstrip("Y"))
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or value not in YEAR_GROUPS:
        row.error("Year", f"{row.get('Year') or 'a blank'} is not a year group (N1, N2, R, 1-14)")
        return None
    return value


def _flag(row: _Row, column: str) -> bool:
    text = row.get(column).lower()
    if text in TRUE:
        return True
    if text not in FALSE:
        row.error(column, f"{row.get(column)} is not Y or N")
    return False


def _parse_row(row: _Row, today: dt.date) -> ImportRow | None:
    upn = row.get("UPN").upper()
    if not upn:
        row.error("UPN", "is missing")
    elif not is_valid_upn(upn):
        row.error("UPN", f"{upn} is not a valid UPN (wrong length, characters or check letter)")
    surname, forename = row.get("Legal Surname"), row.get("Legal Forename")
    if not surname:
        row.error("Legal Surname", "is missing")
    if not forename:
        row.error("Legal Forename", "is missing")
    dob = _date(row, "DOB", required=True)
    if dob is not None and dob > today:
        row.error("DOB", f"{row.get('DOB')} is in the future")
    year = _year(row)
    admitted = _date(row, "Admission Date", required=True)
    leaving = _date(row, "Leaving Date", required=False)
    if admitted and leaving and leaving < admitted:
        row.error("Leaving Date", "is before the admission date")
    provision = row.get("SEN Provision").upper() or SenProvision.NO_SEN
    if provision not in SEN_PROVISIONS:
        row.error("SEN Provision", f"{provision} is not E, K or N")
    needs = []
    for column in ("Primary Need", "Secondary Need"):
        code = row.get(column).upper()
        if code and code not in NEED_CODES:
            row.error(column, f"{code} is not a DfE type of need code")
        elif code:
            needs.append(code)
    reg_group = row.get("Reg Group")
    if len(reg_group) > GROUP_NAME_MAX:
        row.error("Reg Group", f"is longer than {GROUP_NAME_MAX} characters")
    if row.get("Secondary Need") and not row.get("Primary Need"):
        row.error("Primary Need", "is missing but a secondary need is given")
    if provision in SEN_PROVISIONS and not row.errors:
        for message in need_codes_validate(provision, needs):
            row.error("Primary Need" if "need" in message else "SEN Provision", message)
    values = {
        "legal_last_name": surname[:100],
        "legal_first_name": forename[:100],
        "preferred_name": row.get("Preferred Forename")[:100],
        "date_of_birth": dob,
        "year_group": year,
        "admission_date": admitted,
        "leaving_date": leaving,
        "eal": _flag(row, "EAL"),
        "free_school_meals": _flag(row, "FSM"),
        "looked_after": _flag(row, "Looked After"),
    }
    if row.errors:
        return None
    return ImportRow(
        line=row.line,
        upn=upn,
        provision=provision,
        needs=needs,
        values=values,
        reg_group=reg_group,
    )


def parse(text: str, today: dt.date) -> list[ImportRow]:
    """Every row of the file, or a ValidationError listing every problem found."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise ValidationError("The file is empty")
    columns = [h.strip().lower() for h in header]
    reg_group = next((c for c in REG_GROUP_COLUMNS if c in columns), None)
    if reg_group is not None:
        columns[columns.index(reg_group)] = "reg group"
    missing = [c for c in REQUIRED if c.lower() not in columns]
    if missing:
        raise ValidationError(f"The file has no column called {', '.join(missing)}")
    errors: list[str] = []
    rows: list[ImportRow] = []
    first_line: dict[str, int] = {}
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        row = _Row(line, dict(zip(columns, values, strict=False)))
        parsed = _parse_row(row, today)
        errors.extend(row.errors)
        if parsed is not None:
            if parsed.upn in first_line:
                errors.append(
                    f"Row {line}, UPN: {parsed.upn} is also on row {first_line[parsed.upn]}"
                )
            first_line.setdefault(parsed.upn, line)
            rows.append(parsed)
        if len(errors) >= MAX_ERRORS:
            errors.append(f"Stopped after {MAX_ERRORS} problems: correct these and try again")
            break
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError("The file has no pupils in it")
    return rows


def _batches(rows: list[ImportRow]) -> Iterator[list[ImportRow]]:
    for i in range(0, len(rows), BATCH):
        yield rows[i : i + BATCH]


def _registration_groups(
    school: School, rows: list[ImportRow], by: Any
) -> dict[str, TeachingGroup]:
    """The school's groups the file names, by name: created, or marked as registration groups."""
    years: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        if row.reg_group:
            years[row.reg_group].add(row.values["year_group"])
    if not years:
        return {}
    groups = {
        g.name: g
        for g in TeachingGroup.objects.filter(school=school, name__in=years).select_for_update()
    }
    unmarked = [g for g in groups.values() if not g.registration]
    for group in unmarked:
        group.registration = True
    if unmarked:
        bulk_update_with_history(unmarked, TeachingGroup, ["registration"], default_user=by)
    new = [
        # A mixed-age class gets no year group rather than the year of whichever row came first.
        TeachingGroup(
            school=school,
            name=name,
            registration=True,
            year_group=next(iter(group_years)) if len(group_years) == 1 else None,
        )
        for name, group_years in years.items()
        if name not in groups
    ]
    if new:
        groups |= {g.name: g for g in bulk_create_with_history(new, TeachingGroup, default_user=by)}
    return groups


def _join_registration_groups(
    pupils: list[tuple[ImportRow, Pupil]],
    groups: dict[str, TeachingGroup],
    new_pks: set[int],
    today: dt.date,
    by: Any,
) -> set[int]:
    """Put each pupil in the registration group of their row; the pks of pupils that moved.

    Only links to registration groups are ended, the day before the import, so sets and
    intervention groups are kept. A link that began today is moved instead of ended, so a
    same-day correction leaves no period that ends before it starts.
    """
    wanted = {pupil.pk: groups[row.reg_group] for row, pupil in pupils if row.reg_group}
    links: dict[int, list[TeachingGroupPupil]] = defaultdict(list)
    if stored := wanted.keys() - new_pks:
        current = TeachingGroupPupil.objects.filter(
            current_q(on=today), pupil_id__in=stored, group__registration=True
        )
        for link in current.select_for_update(of=("self",)):
            links[link.pupil_id].append(link)
    joined: list[TeachingGroupPupil] = []
    changed: list[TeachingGroupPupil] = []
    moved: set[int] = set()
    for pupil_id, group in wanted.items():
        others = [link for link in links[pupil_id] if link.group_id != group.pk]
        in_group = len(others) < len(links[pupil_id])
        if in_group and not others:
            continue
        for link in others:
            if link.start >= today and not in_group:
                link.group = group
                in_group = True
            else:
                link.end = today - dt.timedelta(days=1)
            changed.append(link)
        if not in_group:
            joined.append(TeachingGroupPupil(group=group, pupil_id=pupil_id, start=today))
        moved.add(pupil_id)
    if changed:
        bulk_update_with_history(changed, TeachingGroupPupil, ["group", "end"], default_user=by)
    if joined:
        bulk_create_with_history(joined, TeachingGroupPupil, default_user=by)
    return moved


def _apply_batch(
    school: School,
    batch: list[ImportRow],
    groups: dict[str, TeachingGroup],
    today: dt.date,
    by: Any,
    result: ImportResult,
) -> None:
    existing = {
        p.upn: p
        for p in Pupil.objects.filter(school=school, upn__in=[r.upn for r in batch])
        .prefetch_related("needs")
        .select_for_update(of=("self",))
    }
    new: list[tuple[ImportRow, Pupil]] = []
    updated: set[int] = set()
    for row in batch:
        pupil = existing.get(row.upn)
        if pupil is None:
            new.append(
                (row, Pupil(school=school, upn=row.upn, sen_provision=row.provision, **row.values))
            )
            continue
        changed = [name for name in FIELDS if getattr(pupil, name) != row.values[name]]
        needs = [n.code for n in sorted(pupil.needs.all(), key=lambda n: n.rank)]
        status_changed = pupil.sen_provision != row.provision or needs != row.needs
        if not changed and not status_changed:
            continue
        if changed:
            for name in changed:
                setattr(pupil, name, row.values[name])
            pupil._history_user = by  # type: ignore[attr-defined]
            pupil.save(update_fields=changed)
        if status_changed:
            try:
                pupil_sen_status_set(
                    pupil=pupil, provision=row.provision, start=today, by=by, needs=row.needs
                )
            except ValidationError as exc:
                raise ValidationError([f"Row {row.line}: {m}" for m in exc.messages]) from exc
        updated.add(pupil.pk)
    by_upn: dict[str, Pupil] = {}
    if new:
        created = bulk_create_with_history([p for _, p in new], Pupil, default_user=by)
        by_upn = {p.upn: p for p in created}
        statuses, needs_rows = [], []
        for row, _ in new:
            pupil = by_upn[row.upn]
            if row.provision != SenProvision.NO_SEN:
                # The MIS does not say when provision began: the register's history starts here.
                statuses.append(SenStatus(pupil=pupil, provision=row.provision, start=today))
            needs_rows += [
                PupilNeed(pupil=pupil, rank=rank, code=code)
                for rank, code in enumerate(row.needs, start=1)
            ]
        if statuses:
            bulk_create_with_history(statuses, SenStatus, default_user=by)
        if needs_rows:
            bulk_create_with_history(needs_rows, PupilNeed, default_user=by)
        result.created += len(new)
    pupils = [(row, existing.get(row.upn) or by_upn[row.upn]) for row in batch]
    new_pks = {p.pk for p in by_upn.values()}
    updated |= _join_registration_groups(pupils, groups, new_pks, today, by) - new_pks
    result.updated += len(updated)
    result.unchanged += len(existing) - len(updated)


def _record_leavers(school: School, upns: set[str], today: dt.date, by: Any) -> int:
    left = 0
    on_roll = Pupil.objects.filter(school=school, leaving_date__isnull=True).exclude(upn__in=upns)
    for pupil in on_roll.select_for_update():
        pupil.leaving_date = today
        pupil._history_user = by  # type: ignore[attr-defined]
        pupil.save(update_fields=["leaving_date"])
        left += 1
    return left


def pupils_import(*, school: School, data: bytes, complete_roll: bool, by: Any) -> ImportResult:
    """Validate the whole file, then create, update and (for a complete roll) mark leavers."""
    if len(data) > MAX_BYTES:
        raise ValidationError("The file is larger than 10 MB: split it by year group")
    today = timezone.localdate()
    rows = parse(decode(data), today)
    result = ImportResult(rows=len(rows))
    with transaction.atomic():
        groups = _registration_groups(school, rows, by)
        for batch in _batches(rows):
            _apply_batch(school, batch, groups, today, by, result)
        if complete_roll:
            result.left = _record_leavers(school, {r.upn for r in rows}, today, by)
        audit_record(
            by,
            "pupils.register.imported",
            school,
            rows=result.rows,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            left=result.left,
            complete_roll=complete_roll,
        )
    return result
