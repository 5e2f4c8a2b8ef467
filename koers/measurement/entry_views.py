"""Taking a measurement: the consultant plans it, enters the answers given in a conversation, or hands the client a
personal link that the client fills in on a phone.

Staff pages open the trajectory or measurement through scoped, audited selectors (404 alike for missing and
forbidden). The public page shows the questionnaire and nothing stored about the person; its responses are never
cached and send no referrer (the token is in the path), like the evaluation link's.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.groupwork.evaluation_pdf import qr_svg
from koers.measurement.entry_forms import AnswerForm, CreateMeasurementForm, Way
from koers.measurement.models import Measurement, MeasurementStatus, Moment
from koers.measurement.schedule import MomentStatus, measurement_schedule, next_moment
from koers.measurement.selectors import items_of, latest_link, measurement_for, policy_of
from koers.measurement.services import (
    IssuedLink,
    LinkClosedError,
    MeasurementClosedError,
    NoQuestionnaireError,
    NotForClientError,
    OpenMeasurementExistsError,
    TrajectoryEndedError,
    cancel_measurement,
    create_measurement,
    find_link,
    issue_link,
    link_is_open,
    published_version,
    record_answers,
    submit_by_link,
)
from koers.pdf import pdf_response, render_pdf
from koers.private_links import CLOSED_LINK, UNKNOWN_LINK, link_closed, private
from koers.trajectories.selectors import trajectory_for

ENTRY_ROLES = (Role.CONSULTANT, Role.TEAM_MANAGER)


def _to_overview(measurement: Measurement) -> HttpResponse:
    return redirect("measurement:overview", pk=measurement.trajectory_id)


def _closed_message(request: HttpRequest, measurement: Measurement) -> None:
    if measurement.status == MeasurementStatus.COMPLETED:
        messages.info(request, _("This measurement has been completed; its answers can no longer be changed."))
    else:
        messages.info(request, _("This measurement was cancelled."))


def _link_page(request: AuthenticatedRequest, measurement: Measurement, issued: IssuedLink | None) -> HttpResponse:
    """The link status; a freshly issued link is shown this once, with its QR code, and never again."""
    context = {
        "measurement": measurement,
        "trajectory": measurement.trajectory,
        "issued": issued,
        "qr_svg": qr_svg(issued.url) if issued else "",
        "latest": None if issued else latest_link(measurement),
        "now": timezone.now(),
        "is_open": measurement.status == MeasurementStatus.OPEN,
    }
    return private(render(request, "measurement/entry/link.html", context))


PRINT_FIELD = "afdrukken"


def _link_letter(request: AuthenticatedRequest, measurement: Measurement, issued: IssuedLink) -> HttpResponse:
    """A letter with the fresh link and its QR code, for a client who takes the questions home on paper: made only at
    the moment the link is issued, because the raw token is never stored."""
    client = measurement.trajectory.client
    context = {
        "client": client,
        "organisation": client.organisation,
        "issued": issued,
        "qr_svg": qr_svg(issued.url),
        "expires_at": timezone.localtime(issued.expires_at),
    }
    pdf = render_pdf("measurement/entry/print/link_letter.html", context, request=request)
    record_event(
        request.user, Action.PRINT, measurement, client_id=client.pk, reason="measurement link letter printed (PDF)"
    )
    return private(pdf_response(pdf, f"meetlink-{measurement.pk}-{timezone.localdate():%Y%m%d}.pdf"))


@role_required(*ENTRY_ROLES)
def measurement_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Plans a measurement at one of the trajectory's moments; the planned moments are listed with their status."""
    trajectory = trajectory_for(request.user, pk, reason="measurement form")
    today = timezone.localdate()
    policy = policy_of(trajectory.client.organisation_id)
    measurements = list(
        trajectory.measurements.filter(status__in=(MeasurementStatus.OPEN, MeasurementStatus.COMPLETED)).order_by(
            "created_at", "pk"
        )
    )
    schedule = measurement_schedule(trajectory, today, policy, measurements)
    suggested = next_moment(schedule)
    initial = {"moment": suggested.moment if suggested else Moment.EXTRA}
    form = CreateMeasurementForm(request.POST or None, initial=initial)
    problem = ""
    existing = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        due_on = next(
            (p.due_on for p in schedule if p.moment == data["moment"] and p.status != MomentStatus.DONE), None
        )
        try:
            measurement = create_measurement(
                request.user,
                trajectory,
                moment=data["moment"],
                phase=data["phase"],
                respondent=data["respondent"],
                due_on=due_on,
            )
        except NoQuestionnaireError as error:
            problem = str(error)
        except TrajectoryEndedError:
            problem = _("This trajectory has ended: only the end measurement can still be taken.")
        except OpenMeasurementExistsError as error:
            existing = error.measurement
        else:
            if data["way"] == Way.NOW:
                return redirect("measurement:enter", pk=measurement.pk)
            measurement.trajectory = trajectory
            return _link_page(request, measurement, issue_link(request.user, measurement))
    elif request.method == "GET":
        try:
            published_version(policy if policy.pk else None)
        except NoQuestionnaireError as error:
            problem = str(error)
    context = {
        "trajectory": trajectory,
        "form": form,
        "schedule": schedule,
        "policy": policy,
        "problem": problem,
        "existing": existing,
        "open_measurements": [m for m in measurements if m.status == MeasurementStatus.OPEN],
    }
    return render(request, "measurement/entry/create.html", context)


@role_required(*ENTRY_ROLES)
def measurement_enter(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The questionnaire as a form, for the answers the client (or the professional) gives in the conversation."""
    measurement = measurement_for(request.user, pk, reason="measurement entry form")
    if measurement.status != MeasurementStatus.OPEN:
        _closed_message(request, measurement)
        return _to_overview(measurement)
    trajectory = measurement.trajectory
    form = AnswerForm(
        measurement.version, items_of(measurement), request.POST or None, started_on=trajectory.started_on
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_answers(request.user, measurement, form.answers(), taken_on=form.cleaned_data["taken_on"])
        except MeasurementClosedError:
            measurement.refresh_from_db()
            _closed_message(request, measurement)
            return _to_overview(measurement)
        messages.success(request, _("The measurement has been saved."))
        return _to_overview(measurement)
    context = {"measurement": measurement, "trajectory": trajectory, "form": form, "version": measurement.version}
    return render(request, "measurement/entry/enter.html", context)


@role_required(*ENTRY_ROLES)
@require_http_methods(["GET", "POST"])
def measurement_link(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The state of the client's personal link; a POST issues a new one (the old one stops working)."""
    measurement = measurement_for(request.user, pk, reason="measurement link page")
    if request.method == "POST":
        try:
            issued = issue_link(request.user, measurement)
        except MeasurementClosedError:
            measurement.refresh_from_db()
            _closed_message(request, measurement)
            return _to_overview(measurement)
        except NotForClientError:
            messages.error(request, _("This measurement is filled in by the professional: it has no personal link."))
            return redirect("measurement:link", pk=measurement.pk)
        if PRINT_FIELD in request.POST:
            return _link_letter(request, measurement, issued)
        return _link_page(request, measurement, issued)
    return _link_page(request, measurement, None)


@require_POST
@role_required(*ENTRY_ROLES)
def measurement_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    measurement = measurement_for(request.user, pk, reason="cancel measurement")
    try:
        cancel_measurement(request.user, measurement)
    except MeasurementClosedError:
        measurement.refresh_from_db()
        _closed_message(request, measurement)
    else:
        messages.success(request, _("The measurement has been cancelled; its link no longer works."))
    return _to_overview(measurement)


def _link_closed(request: HttpRequest, status: int) -> HttpResponse:
    return link_closed(request, "measurement/public/closed.html", status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def measurement_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The questionnaire behind the client's personal link, made for a phone.

    Exempt from Django's CSRF check: the secret, single-use token in the URL does its work (``koers.private_links``).
    """
    link = find_link(token)
    if link is None:
        return _link_closed(request, UNKNOWN_LINK)
    if not link_is_open(link):
        return _link_closed(request, CLOSED_LINK)
    version = link.measurement.version
    form = AnswerForm(version, list(version.items.order_by("position", "pk")), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submit_by_link(link, form.answers())
        except LinkClosedError:
            return _link_closed(request, CLOSED_LINK)
        return private(redirect("measurement:thanks"))
    return private(render(request, "measurement/public/answer.html", {"form": form, "version": version}))


@require_GET
def measurement_thanks(request: HttpRequest) -> HttpResponse:
    return private(render(request, "measurement/public/thanks.html"))
