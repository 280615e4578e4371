"""The procedure language: frozen pydantic types, the single source of truth.

``schemas/procedure.schema.json`` is generated from :class:`Procedure` (``alur schema``) and a test
keeps the two in sync. Every model forbids unknown keys, so a typo is an error here, in the JSON
Schema and in the editor alike. This module only *describes*; checks that need the whole
procedure (references, graph) live in :mod:`engine.procedure.validate`.

Vocabulary (one word per concept): *procedure* (the definition), *step*, *decision*, *outcome*,
*role*, *document*, *fact*, *flag* (a note on ambiguous or contradictory source text).
"""

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from engine.procedure.names import name_key

__all__ = [
    "DAYS_PER_MONTH",
    "INTERNAL_COMPONENTS",
    "Agency",
    "ClockStart",
    "ComplaintChannel",
    "Component",
    "ComponentStatus",
    "Cost",
    "Decision",
    "Decree",
    "Document",
    "DocumentForm",
    "DocumentKind",
    "Duration",
    "DurationUnit",
    "End",
    "Fact",
    "FactType",
    "Flag",
    "Outcome",
    "Participant",
    "Plan",
    "PlanService",
    "Presence",
    "Procedure",
    "Product",
    "Recurrence",
    "Referral",
    "Requirement",
    "Retention",
    "Role",
    "RoleKind",
    "SourceRef",
    "Step",
    "TimeLimit",
    "default_case_prefix",
    "referral_paths",
    "referrals",
]

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64,
                          description="lower-case id: letters, digits and '_'")]
Text = Annotated[str, Field(min_length=1, max_length=20_000)]
SourceNumber = Annotated[str, Field(
    pattern=r"^[0-9A-Za-z]+([.][0-9A-Za-z]+)*[.]?$", max_length=20,
    description="number as printed in the source, as text: '4', '1.2.a', '2.4', '3b'")]
CasePrefix = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]{0,9}$",
                                  description="upper-case letters and digits, a letter first")]
Expression = Annotated[str, Field(min_length=1, max_length=2_000,
                                  description="condition over declared facts, e.g. "
                                              "'victim_is_child and not has_guardian'")]


class _Model(BaseModel):
    # defer_build: a model's validator is built on its first use, not when the class is made;
    # most of them are first used inside Procedure's, which is built once (cold start, see
    # docs/performance.md). The module does not use ``from __future__ import annotations``
    # either, so pydantic does not have to evaluate every annotation from a string.
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False,
                              defer_build=True)


# --- identity --------------------------------------------------------------------------------

class Agency(_Model):
    name: Text = Field(description="agency name as published")
    unit: str | None = Field(None, description="unit that delivers the service, e.g. UPTD PPA")
    region: Text = Field(description="e.g. Kota Pasuruan")
    address: str | None = None
    phone: str | None = None
    website: str | None = None
    timezone: Literal["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"] = Field(
        "Asia/Jakarta", description="WIB = Asia/Jakarta, WITA = Asia/Makassar, WIT = Asia/Jayapura")
    calendar: str | None = Field(
        None, description="agency holiday override file (regional holidays, amendments), "
                          "relative to the procedure file")


class Decree(_Model):
    """The SK that fixes the service standard. ``number: null`` with ``known: false`` when the
    source leaves it blank: never invent a number."""

    number: str | None = Field(description="SK number exactly as published, or null")
    date: str | None = Field(None, description="ISO date (YYYY-MM-DD) or null when unknown")
    known: bool = Field(True, description="false when the source gives no SK number")


class SourceRef(_Model):
    file: str | None = Field(None, description="seed file name the YAML was encoded from")
    url: str | None = None
    retrieved: str | None = Field(None, description="ISO date the source was read")


# --- the 8 internal SP components (PermenPAN-RB 15/2014) -------------------------------------

class ComponentStatus(StrEnum):
    FILLED = "filled"
    ABSENT = "absent"
    UNKNOWN = "unknown"


class Component(_Model):
    status: ComponentStatus = Field(description="filled, absent (the source says there is none) "
                                                "or unknown (the source does not say)")
    text: str | None = Field(None, description="the component as published, verbatim")


INTERNAL_COMPONENTS = (
    "dasar_hukum", "sarana_prasarana", "kompetensi_pelaksana", "pengawasan_internal",
    "jumlah_pelaksana", "jaminan_pelayanan", "jaminan_keamanan", "evaluasi_kinerja",
)


class InternalComponents(_Model):
    dasar_hukum: Component = Field(description="legal basis")
    sarana_prasarana: Component = Field(description="facilities")
    kompetensi_pelaksana: Component = Field(description="staff competence")
    pengawasan_internal: Component = Field(description="internal supervision")
    jumlah_pelaksana: Component = Field(description="number of staff")
    jaminan_pelayanan: Component = Field(description="service guarantee")
    jaminan_keamanan: Component = Field(description="security and safety guarantee")
    evaluasi_kinerja: Component = Field(description="performance evaluation")


# --- roles, documents, facts -----------------------------------------------------------------

class RoleKind(StrEnum):
    STAFF = "staff"
    EXTERNAL = "external"
    TEAM = "team"


class Role(_Model):
    id: Id
    title: Text = Field(description="the role as written in the source")
    kind: RoleKind = RoleKind.STAFF
    members: tuple[Id, ...] = Field((), description="for a team: the roles it is made of")
    aliases: tuple[Text, ...] = Field((), description="other names the source gives the same "
                                                      "party ('penerima manfaat', 'klien')")
    note: str | None = None


class DocumentKind(StrEnum):
    REQUIREMENT = "requirement"
    PRODUCED = "produced"


class Presence(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    REQUIRED_IF = "required_if"


class DocumentForm(StrEnum):
    ORIGINAL = "original"
    COPY = "copy"
    ORIGINAL_AND_COPY = "original_and_copy"


class Document(_Model):
    id: Id
    title: Text
    kind: DocumentKind
    presence: Presence = Presence.REQUIRED
    condition: Expression | None = Field(None, description="for presence required_if")
    sensitive: bool = Field(False, description="personal data: masked unless revealed")
    form: DocumentForm | None = Field(None, description="original, copy (fotocopy) or "
                                                        "original_and_copy, as the source says")
    copies: int | None = Field(None, ge=1, le=100, description="how many (rangkap), as stated")
    sheets: int | None = Field(None, ge=1, le=1000, description="how many sheets (lembar)")
    note: str | None = None


class FactType(StrEnum):
    BOOL = "bool"
    INT = "int"
    STR = "str"
    DATE = "date"
    ENUM = "enum"


class Fact(_Model):
    id: Id
    title: Text
    type: FactType
    values: tuple[str, ...] = Field((), description="allowed values of an enum fact")
    sensitive: bool = False
    required: bool = Field(False, description="must be given when the case is opened")
    default: bool | int | str | None = None


class Requirement(_Model):
    """One item of the published 'Persyaratan', kept verbatim and linked to what satisfies it:
    documents, a fact, or a group of items of which any (``any_of``) or all (``all_of``) must
    be met, numbered as the source numbers them."""

    number: int | SourceNumber | None = Field(
        None, description="number in the source list, as printed: 2, '1.2.a', '3b'")
    text: Text = Field(description="verbatim source text")
    document: Id | None = Field(None, description="document that satisfies it")
    documents: tuple[Id, ...] = Field((), description="several documents it names, each needed "
                                                      "(\"fotocopy KTP dan KK\": two)")
    fact: Id | None = Field(None, description="bool fact that satisfies it")
    presence: Presence = Presence.REQUIRED
    condition: Expression | None = None
    any_of: tuple["Requirement", ...] = Field((), description="met when one of these is")
    all_of: tuple["Requirement", ...] = Field((), description="met when every one of these is")
    gates: tuple[Id, ...] | None = Field(
        None, description="what waits for it: step ids and 'clock' (the time limit, when it "
                          "starts at requirements_met). Default: the clock and the first staff "
                          "step (a document some step produces: the clock only); [] for none")


# --- time --------------------------------------------------------------------------------------

class DurationUnit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    HOURS = "hours"
    MINUTES = "minutes"
    MONTHS = "months"  # "3 bulan": calendar months, kept in the source's unit


DAYS_PER_MONTH = 365.2425 / 12
"""A month's mean length in days, where a duration is compared or simulated as a number (the
calendar counts real months: engine.cases.calendar)."""


class Duration(_Model):
    amount: int = Field(ge=1, le=3650)
    unit: DurationUnit


class ClockStart(StrEnum):
    CASE_OPENED = "case_opened"
    REQUIREMENTS_MET = "requirements_met"
    STEP_COMPLETED = "step_completed"


class TimeLimit(_Model):
    amount: int | None = Field(ge=1, le=3650, description="null when the source gives none")
    unit: DurationUnit | None = Field(None, description="required with an amount")
    bound: Literal["max", "min", "exact"] = "max"
    starts: ClockStart = Field(ClockStart.CASE_OPENED, description="event that starts the clock")
    starts_after_step: Id | None = Field(None, description="with starts: step_completed")
    situational: bool = Field(False, description="the source says the limit depends on the case")
    extendable: bool = False
    extension_rule: str | None = Field(None, description="who may extend and why, as written")
    max_extension: Duration | None = None
    escalate_to: Id | None = Field(None, description="role told when the limit is breached")
    until_step: Id | None = Field(None, description="the clock stops when this step completes "
                                                    "(default: when the case closes)")
    event: Text | None = Field(
        None, description="with amount null: the outside event the service lasts until, as the "
                          "source says ('putusan berkekuatan hukum tetap'); the step that "
                          "records it is until_step")
    source_text: Text | None = Field(
        description="the 'Waktu Penyelesaian' text, verbatim; null only when the source gives "
                    "none (amount null and a flag kind: missing, about: time_limit)")


class PhaseLimit(_Model):
    """A further time limit the source sets on part of the service, beside the overall one: it
    runs from one event to the completion of a step ("the complaint is followed up within 3
    working days" counts from the complaint to the end of the follow-up step)."""

    id: Id
    amount: int = Field(ge=1, le=3650)
    unit: DurationUnit
    starts: ClockStart = Field(ClockStart.CASE_OPENED, description="event that starts it")
    starts_after_step: Id | None = Field(None, description="with starts: step_completed")
    until_step: Id = Field(description="it stops when this step completes")
    escalate_to: Id | None = Field(None, description="role told when it is breached")
    source_text: Text = Field(description="the source's words for this limit, verbatim")


# --- steps -----------------------------------------------------------------------------------

class End(StrEnum):
    COMPLETED = "completed"
    TERMINATED = "terminated"
    REFERRED = "referred"
    REJECTED = "rejected"


class FactMap(dict[str, str]):
    """A referral's fact mapping, hashable like the frozen models holding it (the rules and
    the gates of a procedure are cached by the procedure itself)."""

    def __hash__(self) -> int:  # type: ignore[override]  # read-only once validated
        return hash(tuple(sorted(self.items())))


Facts = Annotated[dict[Id, Id], AfterValidator(FactMap)]


class Referral(_Model):
    """Refer the case to another procedure: a linked case is opened there."""

    procedure: Id = Field(description="id of the target procedure in procedures/")
    when: Expression | None = Field(None, description="made only when this holds (none: always)")
    documents: tuple[Id, ...] = Field((), description="documents carried to the new case")
    facts: Facts = Field(default_factory=lambda: FactMap(),
                         description="target fact id: source fact id, carried into the new "
                                     "case; without it, same-named declared facts are carried")
    consent: Id | None = Field(None, description="bool fact or document recording consent")
    wait: bool = Field(False, description="wait for the target's outcome instead of ending")


Refer = Referral | tuple[Referral, ...]


def referrals(refer: Refer | None) -> tuple[Referral, ...]:
    """A step's or outcome's ``refer`` as a tuple: one referral, a list, or none."""
    if refer is None:
        return ()
    return refer if isinstance(refer, tuple) else (refer,)


def referral_paths(path: tuple[str | int, ...], refer: Refer | None,
                   ) -> list[tuple[tuple[str | int, ...], Referral]]:
    """Each referral of ``refer`` (at ``path`` in the file) with its own path: ``path``
    itself for a single mapping, ``path + (k,)`` for the k-th of a list."""
    if isinstance(refer, tuple):
        return [((*path, k), r) for k, r in enumerate(refer)]
    return [] if refer is None else [(path, refer)]


class Outcome(_Model):
    id: Id
    label: Text = Field(description="short label shown on the graph and to the actor")
    text: str | None = Field(None, description="verbatim source text of this branch")
    when: Expression | None = Field(None, description="condition under which it applies")
    otherwise: bool = Field(False, description="applies when no other outcome does")
    next: Id | None = Field(None, description="step to go to")
    end: End | None = Field(None, description="or: end the case with this outcome")
    produces: tuple[Id, ...] = ()
    refer: Refer | None = Field(None, description="a referral, or a list of them (each with "
                                                  "its own 'when')")


class Decision(_Model):
    question: Text
    outcomes: tuple[Outcome, ...] = Field(min_length=2)


class Participant(_Model):
    role: Id
    when: Expression | None = Field(None, description="needed only when this holds")
    note: str | None = None


class Recurrence(_Model):
    """A step the source repeats while the service goes on ("report the client's condition
    during the placement"): its first completion moves the case on as usual and starts an
    obligation; the actor then reports again at least every ``every`` until ``until_step``
    completes, or for ``lasts`` from the first completion ("setiap 14 hari selama 3 bulan").
    The source's own end, never an invented "continue?" decision. Without ``every`` ("pemulihan
    psikologis selama penempatan") the obligation has no period: reports are recorded whenever
    they happen and none is ever late. Exactly one of ``until_step`` and ``lasts`` (R025)."""

    every: Duration | None = Field(None, description="longest time between two reports; none: "
                                                     "the source gives no period (never late)")
    until_step: Id | None = Field(None, description="the step whose completion ends the "
                                                    "obligation")
    lasts: Duration | None = Field(None, description="or: how long the obligation runs from "
                                                     "the step's first completion")


class JointActors(_Model):
    """Roles that perform a step together with its actor, as the source says: "the victim
    together with the reported party undergo mediation", "the case worker and the head of unit
    draft the plan"."""

    roles: tuple[Id, ...] = Field(min_length=1, description="roles acting together with the "
                                                            "step's actor")
    sign_off: Literal["all", "any"] = Field(
        "all", description="all: the actor and each of these roles must be recorded before the "
                           "step completes; any: one of them completes it")


class PlanService(_Model):
    """One service of a plan: a linked case in another procedure (``refer``) or a branch of
    this case that a role records as done (``actor``), exactly one of the two."""

    id: Id
    label: Text = Field(description="the service as the source names it")
    when: Expression | None = Field(None, description="selected when this holds (none: always)")
    refer: Referral | None = Field(None, description="a linked case in another procedure")
    actor: Id | None = Field(None, description="or: the role that records this service done")


class Plan(_Model):
    """Several services a step sets going at once (AND-split), each a linked case or a branch;
    the case goes on when every selected service ended (``join: all``) or the first (``any``)."""

    join: Literal["all", "any"] = Field(
        "all", description="all: wait for every selected service; any: for the first")
    text: str | None = Field(None, description="the source's words for the join, verbatim")
    services: tuple[PlanService, ...] = Field(min_length=1)


class Step(_Model):
    id: Id
    number: SourceNumber = Field(description="the step number in the source as text ('3', "
                                             "'2.4', or '3a' when a source step is split)")
    title: Text
    actor: Id = Field(description="role that performs the step")
    actor_inferred: bool = Field(False, description="the source names no actor; explain in a flag")
    joint: JointActors | None = Field(None, description="roles that act together with the actor")
    repeat: Recurrence | None = Field(None, description="a recurring obligation: reported again "
                                                        "every so often until a step completes")
    text: Text = Field(description="verbatim source text of the step")
    requires: tuple[Id, ...] = Field((), description="documents that must be present")
    produces: tuple[Id, ...] = Field((), description="documents the step yields")
    participants: tuple[Participant, ...] = ()
    when: Expression | None = Field(None, description="condition that must hold to complete it")
    deadline: Duration | None = None
    estimate: Duration | None = Field(None, description="typical duration, for simulation")
    escalate_to: Id | None = None
    next: Id | None = None
    decision: Decision | None = None
    plan: Plan | None = Field(None, description="services set going at once, joined before "
                                                "'next'")
    end: End | None = None
    refer: Refer | None = Field(None, description="a referral, or a list of them (each with "
                                                  "its own 'when')")


# --- published components ------------------------------------------------------------------

class Cost(_Model):
    amount: int = Field(0, ge=0, description="in rupiah")
    currency: Literal["IDR"] = "IDR"
    text: Text = Field(description="the 'Biaya / Tarif' text, verbatim")


class Product(_Model):
    """One product line of the SP, verbatim, linked to the documents it names (a line may name
    several: "Laporan penjangkauan dan rencana pendampingan")."""

    text: Text
    document: Id | None = Field(None, description="the document the product is")
    documents: tuple[Id, ...] = Field((), description="or: the documents it names, each one "
                                                      "produced by a step")
    issued_outside: bool = Field(
        False, description="the agency hands it over outside the steps (no step says who "
                           "issues it or when): its documents need no producing step")


class ComplaintChannel(_Model):
    channel: Literal["in_person", "suggestion_box", "letter", "phone", "sms", "whatsapp",
                     "email", "web", "online", "social_media", "address", "other"]
    value: str | None = Field(None, description="number, address or URL; null when not given")
    platform: str | None = Field(None, description="for social_media: Facebook, Instagram ...")
    text: Text = Field(description="as published")
    channels: tuple["ComplaintChannel", ...] = Field(
        (), description="channels listed under this one ('media sosial: ...')")


class Flag(_Model):
    id: Id
    kind: Literal["ambiguity", "contradiction", "inference", "assumption", "missing",
                  "copy_error"]
    about: str = Field(description="what it concerns, as a path: 'steps.mengundang', "
                                   "'time_limit', 'decree'")
    quote: str | None = Field(None, description="the source text in question, verbatim")
    note: Text = Field(description="what is unclear and what the YAML assumes")


class Access(_Model):
    read: tuple[Id, ...] = Field((), description="roles that may read cases (besides actors)")


class Retention(_Model):
    after_closed: Duration = Field(description="anonymise closed cases after this period")


class Procedure(_Model):
    """One Standar Pelayanan as an executable procedure."""

    id: Id
    title: Text
    version: str = Field(min_length=1, max_length=40)
    language: Literal["id", "en"] = "id"
    case_prefix: CasePrefix | None = Field(
        default=None, description="first part of the short case numbers people use "
        "(MED-2026-0042); default: the first three letters or digits of the id, upper-case")
    agency: Agency
    decree: Decree
    source: SourceRef
    roles: tuple[Role, ...] = Field(min_length=1)
    documents: tuple[Document, ...] = ()
    facts: tuple[Fact, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    steps: tuple[Step, ...] = Field(min_length=1)
    time_limit: TimeLimit
    phase_limits: tuple[PhaseLimit, ...] = Field(
        (), description="further limits on parts of the service (clock windows)")
    cost: Cost
    products: tuple[Product, ...] = Field(
        description="at least one, unless the source gives none (then a flag kind: missing, "
                    "about: products)")
    complaints: tuple[ComplaintChannel, ...] = Field(
        description="as published; empty only when the source gives none (then a flag kind: "
                    "missing, about: complaints)")
    components: InternalComponents
    access: Access = Access()
    retention: Retention | None = None
    flags: tuple[Flag, ...] = ()

    @property
    def number_prefix(self) -> str:
        """The prefix of this procedure's case numbers: ``case_prefix``, else the default."""
        return self.case_prefix or default_case_prefix(self.id)

    # Lookups used everywhere; computed on demand (the model is frozen, callers cache procedures).
    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def role(self, role_id: str) -> Role:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(role_id)

    def role_names(self) -> dict[str, str]:
        """Every name a role goes by, its id and each of its aliases, as a
        :func:`~engine.procedure.names.name_key` → the role's id. A key two roles share
        (an error, R023) goes to the first of them."""
        names: dict[str, str] = {}
        for role in self.roles:
            names.setdefault(name_key(role.id), role.id)
        for role in self.roles:
            for alias in role.aliases:
                names.setdefault(name_key(alias), role.id)
        return names

    def role_named(self, name: str) -> str:
        """The id of the role ``name`` is or is an alias of; ``name`` itself when none is.
        (A command's roles are resolved through the cached index: engine.cases.lookup.)"""
        if any(role.id == name for role in self.roles):  # the usual case: no dict built
            return name
        return self.role_names().get(name_key(name), name)

    def acting_roles(self, role_id: str) -> set[str]:
        """A role and, for a team, every role it is made of (recursively): who may act for it."""
        found: set[str] = set()
        stack = [role_id]
        while stack:
            current = stack.pop()
            if current in found:
                continue
            found.add(current)
            try:
                stack.extend(self.role(current).members)
            except KeyError:
                continue
        return found

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)

    def fact(self, fact_id: str) -> Fact:
        for fact in self.facts:
            if fact.id == fact_id:
                return fact
        raise KeyError(fact_id)

    def missing_components(self) -> list[str]:
        """SP components (of the 14) that are not filled: the 8 internal ones by status,
        and the published ones that the source leaves empty."""
        missing = [name for name in INTERNAL_COMPONENTS
                   if getattr(self.components, name).status is not ComponentStatus.FILLED]
        if not self.requirements:
            missing.append("persyaratan")
        if self.time_limit.amount is None and self.time_limit.event is None \
                and not self.phase_limits:
            missing.append("jangka_waktu")  # a limit on part of the service is a time limit
        if not self.products:
            missing.append("produk")
        if not self.complaints:
            missing.append("pengaduan")
        return missing

    def missing_flag(self, about: str) -> bool:
        """A ``missing`` flag records that the source gives no ``about`` (products,
        complaints, time_limit): the component is encoded as not given, not invented."""
        return any(f.kind == "missing" and f.about == about for f in self.flags)


# the models that contain themselves (a group of requirements, nested channels)
Requirement.model_rebuild()
ComplaintChannel.model_rebuild()


def default_case_prefix(procedure_id: str) -> str:
    """The case-number prefix of a procedure that names none: the first three letters or
    digits of its id, upper-case (``mediasi`` → ``MED``). An id always starts with a letter,
    so the prefix does too; procedures that share one share its counter."""
    return "".join(c for c in procedure_id if c.isascii() and c.isalnum())[:3].upper() or "C"
