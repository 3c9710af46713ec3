"""DfE census codes for SEN provision and type of need, with the CoP broad areas (domain.md 7.1)."""

from collections.abc import Sequence

from django.db import models


class SenProvision(models.TextChoices):
    """School census SEN provision (domain.md 7.1): E + K + N is the whole roll."""

    EHC_PLAN = "E", "EHC plan"
    SEN_SUPPORT = "K", "SEN support"
    NO_SEN = "N", "No special educational need"


class Area(models.TextChoices):
    """The four broad areas of need (CoP 6.28-6.35), plus uncategorised for OTH, NSA and DS."""

    COMMUNICATION = "communication", "Communication and interaction"
    COGNITION = "cognition", "Cognition and learning"
    SEMH = "semh", "Social, emotional and mental health"
    SENSORY_PHYSICAL = "sensory_physical", "Sensory and/or physical needs"
    UNCATEGORISED = "uncategorised", "Uncategorised"


class NeedType(models.TextChoices):
    """SEN type codes (domain.md 7.1). DS is new from the 2026 collections; its area is UNVERIFIED."""

    SPLD = "SPLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SEMH = "SEMH", "Social, emotional and mental health"
    SLCN = "SLCN", "Speech, language and communication needs"
    ASD = "ASD", "Autistic spectrum disorder"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Vision impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    OTH = "OTH", "Other difficulty or disability"
    NSA = "NSA", "SEN support but no specialist assessment of type of need"
    DS = "DS", "Down syndrome"


NEED_AREA: dict[str, Area] = {
    NeedType.SPLD: Area.COGNITION,
    NeedType.MLD: Area.COGNITION,
    NeedType.SLD: Area.COGNITION,
    NeedType.PMLD: Area.COGNITION,
    NeedType.SEMH: Area.SEMH,
    NeedType.SLCN: Area.COMMUNICATION,
    NeedType.ASD: Area.COMMUNICATION,
    NeedType.HI: Area.SENSORY_PHYSICAL,
    NeedType.VI: Area.SENSORY_PHYSICAL,
    NeedType.MSI: Area.SENSORY_PHYSICAL,
    NeedType.PD: Area.SENSORY_PHYSICAL,
    NeedType.OTH: Area.UNCATEGORISED,
    NeedType.NSA: Area.UNCATEGORISED,
    NeedType.DS: Area.UNCATEGORISED,
}


# The choices' values as sets: TextChoices.values builds a new list on every access, and the importer
# checks thousands of rows.
SEN_PROVISIONS = frozenset(SenProvision.values)
NEED_CODES = frozenset(NeedType.values)


def need_codes_validate(provision: str, codes: Sequence[str]) -> list[str]:
    """The census rules on a provision and its ranked needs (domain.md 7.1); [] when valid.

    Shared by the services, the import and the census check, so all three refuse the same things.
    """
    errors = []
    known = NEED_CODES
    for code in codes:
        if code not in known:
            errors.append(f"{code} is not a DfE type of need code")
    if len(set(codes)) != len(codes):
        errors.append("A type of need can be recorded only once for a pupil")
    if provision in (SenProvision.SEN_SUPPORT, SenProvision.EHC_PLAN) and not codes:
        label = SenProvision(provision).label
        errors.append(f"A pupil on {label} must have a primary need")
    if provision == SenProvision.EHC_PLAN and NeedType.NSA in codes:
        errors.append(
            "NSA (no specialist assessment) is valid only with SEN support, not an EHC plan"
        )
    if provision == SenProvision.NO_SEN and codes:
        errors.append("A pupil with no SEN cannot have a type of need recorded")
    return errors


class YearGroup(models.IntegerChoices):
    """National curriculum year groups; nursery and reception before Year 1."""

    N1 = -2, "Nursery 1"
    N2 = -1, "Nursery 2"
    R = 0, "Reception"
    Y1 = 1, "Year 1"
    Y2 = 2, "Year 2"
    Y3 = 3, "Year 3"
    Y4 = 4, "Year 4"
    Y5 = 5, "Year 5"
    Y6 = 6, "Year 6"
    Y7 = 7, "Year 7"
    Y8 = 8, "Year 8"
    Y9 = 9, "Year 9"
    Y10 = 10, "Year 10"
    Y11 = 11, "Year 11"
    Y12 = 12, "Year 12"
    Y13 = 13, "Year 13"
    Y14 = 14, "Year 14"


YEAR_GROUPS = frozenset(YearGroup.values)
