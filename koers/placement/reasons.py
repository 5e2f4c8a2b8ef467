"""A proposal line's reason and warnings in the reader's language, from the codes that ``explain`` stored.

Rendered at display time, so a planner reads them in their own language. No text names a need or contra-indication
from the dossier: the planner may not see it (the same rule as ``groupwork.placement_services``); a variant is the
referral's, which the planner sees anyway.
"""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from koers.clients.models import availability_labels
from koers.groupwork.models import Variant
from koers.placement.explain import PlacementWarning, Reason
from koers.placement.models import PlacementProposal, ProposalLine


def _day(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return date_format(datetime.date.fromisoformat(value), "j F Y")


def _variants(codes: object) -> str:
    names = [str(Variant(code).label) if code in Variant.values else str(code) for code in codes or ()]  # type: ignore[attr-defined]
    return ", ".join(names)


def explain_text(line: ProposalLine) -> str:
    """Why the line proposes this run, or no run."""
    params = line.reason_params or {}
    date = _day(params.get("start"))
    code = line.reason_code
    runs = int(params.get("runs") or 0)
    texts = {
        Reason.PINNED: lambda: _("Fixed by the planner."),
        Reason.EARLIEST: lambda: _("The earliest run the client can join in their available day parts."),
        Reason.EARLIER_FULL: lambda: _("The earlier run of %(date)s is full.") % {"date": date},
        Reason.EARLIER_NEED_UNMET: lambda: (
            _("The earlier run of %(date)s does not offer the variant the client needs; this run does.")
            % {"date": date}
        ),
        Reason.EARLIER_LOCATION: lambda: (
            _("The earlier run of %(date)s is for clients of another municipality; this run is not.") % {"date": date}
        ),
        Reason.EARLIER_NOT_STARTING: lambda: (
            _("The earlier run of %(date)s does not start in this proposal.") % {"date": date}
        ),
        Reason.EARLIER_FOR_OTHERS: lambda: (
            _("The earlier run of %(date)s still has room, but the proposal as a whole gives its places to others.")
            % {"date": date}
        ),
        Reason.CONTRAINDICATION: lambda: _(
            "The dossier records a contra-indication for this programme; the consultant reviews the referral."
        ),
        Reason.NO_RUNS: lambda: _("The programme has no planned run that takes newcomers."),
        Reason.NO_RUN_IN_AVAILABILITY: lambda: (
            _("No run falls in the day parts the client is available; the runs are on: %(slots)s.")
            % {"slots": ", ".join(availability_labels(list(params.get("slots") or [])))}
        ),
        Reason.NO_RUN_LATE_ENOUGH: lambda: _("Every run starts before the client can join."),
        Reason.ALL_FULL: lambda: (
            ngettext(
                "The one run the client can join is full.", "All %(runs)s runs the client can join are full.", runs
            )
            % {"runs": runs}
        ),
        Reason.TRAINER_HOURS: lambda: (
            _(
                "The runs with free places do not start in this proposal: the trainers of the run of %(date)s have too "
                "few hours left."
            )
            % {"date": date}
        ),
        Reason.BELOW_MINIMUM: lambda: (
            _(
                "The runs with free places do not start in this proposal: the run of %(date)s needs at least "
                "%(min_size)s participants, and fewer waiting clients can join it."
            )
            % {"date": date, "min_size": params.get("min_size")}
        ),
        Reason.NOT_STARTING: lambda: (
            _("The runs with free places do not start in this proposal; the first is the run of %(date)s.")
            % {"date": date}
        ),
        Reason.NO_RUN_MEETING_NEED: lambda: (
            (
                _("No starting run with free places offers %(variants)s before the deadline of %(deadline)s.")
                if params.get("deadline")
                else _("No starting run with free places offers %(variants)s.")
            )
            % {"variants": _variants(params.get("needs")), "deadline": _day(params.get("deadline"))}
        ),
        Reason.AFTER_DEADLINE: lambda: (
            _("Every starting run with free places starts after the deadline of %(deadline)s.")
            % {"deadline": _day(params.get("deadline"))}
        ),
        Reason.WAIT_TOO_LONG: lambda: (
            _(
                "The first starting run with free places, of %(date)s, means too long a wait; a new run serves the "
                "client better."
            )
            % {"date": date}
        ),
        Reason.FOR_OTHERS: lambda: (
            _(
                "The run of %(date)s still has room, but the proposal as a whole leaves this client waiting; you can "
                "place the client by hand."
            )
            % {"date": date}
        ),
    }
    render = texts.get(code)  # type: ignore[call-overload]
    return str(render()) if render is not None else ""


def warning_texts(line: ProposalLine) -> list[str]:
    """What the planner accepts with this line: the run fits the client less well on these points."""
    texts = {
        PlacementWarning.NEED_UNMET: _("This run does not offer the variant the client needs."),
        PlacementWarning.LATE: _("This run starts after the client's deadline."),
        PlacementWarning.LOCATION: _("This run is for clients of another municipality."),
    }
    return [str(texts[code]) for code in line.warnings or () if code in texts]


# The solver's stages (pure code, in English) in the reader's language; other stages are msgids themselves.
SOLVER_STAGES = {
    "Preparing the instance": gettext_lazy("Reading the waiting list"),
    "Choosing which runs take place": gettext_lazy("Choosing which runs take place"),
    "Improving the balance within runs": gettext_lazy("Improving the groups"),
    "Proving optimality": gettext_lazy("Checking that no better plan exists"),
    "Done": gettext_lazy("Done"),
}


def stage_text(proposal: PlacementProposal) -> str:
    """The stage of a running proposal in the reader's language."""
    known = SOLVER_STAGES.get(proposal.stage)
    return str(known) if known is not None else _(proposal.stage) if proposal.stage else ""


def error_text(proposal: PlacementProposal) -> str:
    """Why a proposal failed, in the reader's language; a cut-off run (stale) says so."""
    if proposal.is_stale:
        return _("The computation was interrupted (for example by a server restart). Request a new proposal.")
    return _(proposal.error) if proposal.error else ""
