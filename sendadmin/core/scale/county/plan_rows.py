"""EHC plans as linked data (domain.md 3): versions with sections A to J, section B needs from the
register, two outcomes (E) and two quantified provisions (F) per need, linked as ehcp.plans links
them, and the many-to-many snapshots simple-history keeps beside each '+' record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ehcp.models import PlanNeed, PlanOutcome, PlanProvision, PlanVersion
from pupils.codes import NEED_AREA, Area, NeedType

from ..copyutil import history_model
from .base import Ids, Run
from .provision import CatalogueRec
from .roll import PupilRec

# fmt: off
OUTCOMES: dict[str, tuple[str, str]] = {
    Area.COMMUNICATION: ("Follows two-step instructions in class without an adult repeating them",
                         "Starts and keeps up a conversation with a friend at break time"),
    Area.COGNITION: ("Reads texts at the level of the class with support",
                     "Uses number facts to 20 fluently in mental calculation"),
    Area.SEMH: ("Names feelings and chooses a calming strategy when upset",
                "Stays in lessons for the whole session on four days out of five"),
    Area.SENSORY_PHYSICAL: ("Records work independently using a laptop or scribe",
                            "Moves around the school safely and independently"),
    Area.UNCATEGORISED: ("Takes part in whole-class learning with adjustments",
                         "Manages personal care with growing independence"),
}
PROVISIONS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    Area.COMMUNICATION: (("Speech and language therapy programme, individual targets",
                          "Speech and language therapist, with the TA practising targets"),
                         ("Small-group language and vocabulary work", "Teaching assistant")),
    Area.COGNITION: (("Structured phonics and reading programme", "Teaching assistant trained by the SENCO"),
                     ("Precision teaching of number facts", "Teaching assistant")),
    Area.SEMH: (("Emotional literacy support sessions", "Trained ELSA"),
                ("Check-in with a key adult at the start and end of the day", "Key adult")),
    Area.SENSORY_PHYSICAL: (("Occupational therapy programme", "Teaching assistant guided by the OT"),
                            ("Specialist teacher advice and equipment checks", "Specialist teacher")),
    Area.UNCATEGORISED: (("Individual support in lessons", "Teaching assistant"),
                         ("Personal care and independence programme", "Teaching assistant")),
}
SECTION_A = ("{name} enjoys {likes}. {name} wants to {hope}, and would like adults to {ask}.")
LIKES = ("football and drawing", "music and dancing", "building with Lego", "animals and nature",
         "swimming and cooking", "computers and games", "reading comics", "art and making things")
HOPES = ("make more friends", "read stories to a younger sister", "be more independent",
         "go to college and work with animals", "join the school team", "travel to school alone")
ASKS = ("give time to answer", "explain things one step at a time", "use pictures as well as words",
        "notice when things get too noisy")
SECTION_C = "Health needs related to the SEN are reviewed by the community paediatrician yearly."
SECTION_D = "No social care needs identified at the assessment."
SECTION_G = "Speech and language therapy and school nursing as set out by the health partners."
SECTION_J = "No personal budget requested."
# fmt: on


VERSION_COLUMNS = (
    "id", "plan_id", "number", "kind", "based_on_id", "issued_on", "issued_by_id",
    "representations_on", "representations", "section_a", "section_c", "section_d", "section_g",
    "section_h1", "section_h2", "section_i_school_id", "section_i_name", "section_i_type",
    "section_j", "version", "created_at",
)  # fmt: skip


def _with(row: tuple[Any, ...], *changes: Any) -> tuple[Any, ...]:
    values = list(row)
    for i in range(0, len(changes), 2):
        values[changes[i]] = changes[i + 1]
    return tuple(values)


@dataclass
class PlanWriter:
    """Collects versions and their B, E and F rows, then writes them in a few COPYs."""

    run: Run
    catalogue: dict[int, list[CatalogueRec]]
    versions: list[tuple[Any, ...]] = field(default_factory=list)
    needs: list[tuple[Any, ...]] = field(default_factory=list)
    outcomes: list[tuple[Any, ...]] = field(default_factory=list)
    provisions: list[tuple[Any, ...]] = field(default_factory=list)
    outcome_needs: list[tuple[int, int, int]] = field(default_factory=list)
    provision_needs: list[tuple[int, int, int]] = field(default_factory=list)
    provision_outcomes: list[tuple[int, int, int]] = field(default_factory=list)
    # Section K: the advice each version draws on (PlanVersion.advice).
    version_advice: list[tuple[int, int, int]] = field(default_factory=list)
    # The outcomes of each version, for the reviews' progress rows.
    outcomes_of: dict[int, list[int]] = field(default_factory=dict)
    advice_of: dict[int, list[int]] = field(default_factory=dict)
    representations: dict[int, dt.date] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.version_ids = Ids(PlanVersion)
        self.need_ids = Ids(PlanNeed)
        self.outcome_ids = Ids(PlanOutcome)
        self.provision_ids = Ids(PlanProvision)
        self.through_ids = {
            name: Ids(through)
            for name, through in (
                ("outcome_needs", PlanOutcome.needs.through),
                ("provision_needs", PlanProvision.needs.through),
                ("provision_outcomes", PlanProvision.outcomes.through),
                ("version_advice", PlanVersion.advice.through),
            )
        }

    def sections(self, p: PupilRec) -> dict[str, Any]:
        rng = self.run.rng
        name = p.first
        return {
            "section_a": SECTION_A.format(
                name=name, likes=rng.choice(LIKES), hope=rng.choice(HOPES), ask=rng.choice(ASKS)
            ),
            "section_c": SECTION_C,
            "section_d": "Looked after: see the care plan." if p.looked_after else SECTION_D,
            "section_g": SECTION_G,
            "section_h1": "",
            "section_h2": "Short breaks as agreed with the family." if rng.random() < 0.2 else "",
            "section_j": SECTION_J,
        }

    def version(
        self,
        *,
        plan_id: int,
        number: int,
        kind: str,
        pupil: PupilRec,
        issued_on: dt.date | None,
        issued_by: int | None,
        created: dt.date,
        based_on: tuple[int, dict[str, Any]] | None = None,
        change_f: bool = False,
    ) -> tuple[int, dict[str, Any]]:
        """One version with its rows; `based_on` (the id and content of the version it copies) for
        amended ones, whose F changes where the review proposed it (reg 22)."""
        pk = self.version_ids()
        content = dict(based_on[1]) if based_on else self.sections(pupil)
        school = pupil.school
        i_school: int | None = school.id
        i_name = school.name
        i_type = "Special school" if not school.mainstream else f"Mainstream {school.kind} school"
        if kind == PlanVersion.Kind.DRAFT:  # CoP 9.77: a draft names no school
            i_school, i_name, i_type = None, "", ""
        self.versions.append(
            (pk, plan_id, number, kind, based_on[0] if based_on else None, issued_on, issued_by,
             None, "", content["section_a"], content["section_c"], content["section_d"],
             content["section_g"], content["section_h1"], content["section_h2"], i_school,
             i_name, i_type, content["section_j"], 1, self.run.at(created))
        )  # fmt: skip
        self._rows(pk, pupil, change_f)
        if based_on and based_on[0] in self.advice_of:
            self.link_advice(pk, self.advice_of[based_on[0]])
        return pk, content

    def link_advice(self, version: int, advice: list[int]) -> None:
        """Section K: the advice received, as plan_draft_create and version_new set it."""
        self.version_advice.extend(
            (self.through_ids["version_advice"](), version, a) for a in advice
        )
        self.advice_of[version] = advice

    def set_representations(self, version: int, on: dt.date) -> None:
        self.representations[version] = on

    def _rows(self, version: int, p: PupilRec, change_f: bool) -> None:
        rng = self.run.rng
        outcomes_here: list[int] = []
        by_when = "By the end of the key stage"
        options = self.catalogue.get(p.school.id, [])
        for position, code in enumerate(p.needs, start=1):
            area = NEED_AREA[code]
            need = self.need_ids()
            label = NeedType(code).label
            self.needs.append((need, version, area, code, f"{label}: needs assessed as {'significant' if position == 1 else 'moderate'}.", position))  # fmt: skip
            pair = []
            for n, text in enumerate(OUTCOMES[area]):
                o = self.outcome_ids()
                self.outcomes.append((o, version, text, by_when, 2 * position - 1 + n))
                self.outcome_needs.append((self.through_ids["outcome_needs"](), o, need))
                pair.append(o)
            outcomes_here += pair
            mapped = [c.id for c in options if c.spec.area == area]
            for n, (what, who) in enumerate(PROVISIONS[area]):
                f = self.provision_ids()
                sessions = 3 if n == 0 else 5
                if change_f and position == 1 and n == 0:
                    sessions = 4  # the change the review proposed to section F
                self.provisions.append(
                    (f, version, what, sessions, 30 if n == 0 else 15,
                     "Until the next annual review", who, 1 if n == 0 else rng.randint(2, 4),
                     mapped[0] if mapped and n == 0 else None, 2 * position - 1 + n)
                )  # fmt: skip
                self.provision_needs.append((self.through_ids["provision_needs"](), f, need))
                self.provision_outcomes.append(
                    (self.through_ids["provision_outcomes"](), f, pair[n])
                )
        self.outcomes_of[version] = outcomes_here

    def write(self) -> None:
        run = self.run
        reps = self.representations
        if reps:
            at = {name: i for i, name in enumerate(VERSION_COLUMNS)}
            self.versions = [
                _with(v, at["representations_on"], reps[v[0]], at["representations"],
                      "Parents asked for more speech and language therapy in section F.")
                if v[0] in reps else v
                for v in self.versions
            ]  # fmt: skip
        version_hist = run.ids(history_model(PlanVersion), len(self.versions))
        run.put(
            PlanVersion,
            VERSION_COLUMNS,
            self.versions,
            history_ids=version_hist,
        )
        run.put(
            PlanNeed, ("id", "version_id", "area", "code", "description", "position"), self.needs
        )
        outcome_hist = run.ids(history_model(PlanOutcome), len(self.outcomes))
        run.put(
            PlanOutcome,
            ("id", "version_id", "outcome", "by_when", "position"),
            self.outcomes,
            history_ids=outcome_hist,
        )
        provision_hist = run.ids(history_model(PlanProvision), len(self.provisions))
        run.put(
            PlanProvision,
            ("id", "version_id", "what", "sessions_per_week", "minutes_per_session", "duration",
             "delivered_by", "group_size", "map_provision_id", "position"),
            self.provisions,
            history_ids=provision_hist,
        )  # fmt: skip
        run.put_plain(
            PlanOutcome.needs.through, ("id", "planoutcome_id", "planneed_id"), self.outcome_needs
        )
        run.put_plain(
            PlanProvision.needs.through,
            ("id", "planprovision_id", "planneed_id"),
            self.provision_needs,
        )
        run.put_plain(
            PlanProvision.outcomes.through,
            ("id", "planprovision_id", "planoutcome_id"),
            self.provision_outcomes,
        )
        run.put_plain(
            PlanVersion.advice.through,
            ("id", "planversion_id", "advicerequest_id"),
            self.version_advice,
        )
        # Each '+' record's many-to-many snapshot, as simple-history writes beside it.
        version_h = {v[0]: h for v, h in zip(self.versions, version_hist, strict=True)}
        outcome_h = {o[0]: h for o, h in zip(self.outcomes, outcome_hist, strict=True)}
        provision_h = {f[0]: h for f, h in zip(self.provisions, provision_hist, strict=True)}
        m2m = run.m2m_history
        m2m(PlanVersion, "advice", ("id", "history_id", "planversion_id", "advicerequest_id"),
            [(t, version_h[v], v, a) for t, v, a in self.version_advice])  # fmt: skip
        m2m(PlanOutcome, "needs", ("id", "history_id", "planoutcome_id", "planneed_id"),
            [(t, outcome_h[o], o, n) for t, o, n in self.outcome_needs])  # fmt: skip
        m2m(PlanProvision, "needs", ("id", "history_id", "planprovision_id", "planneed_id"),
            [(t, provision_h[f], f, n) for t, f, n in self.provision_needs])  # fmt: skip
        m2m(PlanProvision, "outcomes",
            ("id", "history_id", "planprovision_id", "planoutcome_id"),
            [(t, provision_h[f], f, o) for t, f, o in self.provision_outcomes])  # fmt: skip
