"""Evaluation pages: the participant's questionnaire behind a personal link (no login), staff invites, results.

The public page shows the questionnaire and nothing stored about the person; a used, expired or unknown link gets
one and the same neutral page. Its responses are never cached and send no referrer (the token is in the path).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.groupwork.evaluation_forms import SCALE_LABELS, AnswerForm, StartEvaluationForm
from koers.groupwork.evaluation_pdf import links_filename, links_pdf
from koers.groupwork.evaluation_selectors import (
    MIN_RESPONSES,
    OPEN_ANSWERS_PER_QUESTION,
    evaluated_runs,
    open_invites_for,
    programme_for_results,
    programme_results,
    questions_of,
    run_for_evaluation,
    run_results,
    run_rows,
    staff_invite_for,
)
from koers.groupwork.evaluation_services import (
    EvaluationStart,
    InviteClosedError,
    NoQuestionnaireError,
    RunNoLongerOpenError,
    find_invite,
    is_open,
    start_evaluation,
    submit_answers,
)
from koers.groupwork.models import Perspective
from koers.pagination import query_prefix
from koers.pdf import pdf_response
from koers.private_links import CLOSED_LINK, UNKNOWN_LINK, link_closed, private


def _link_closed(request: HttpRequest, status: int) -> HttpResponse:
    return link_closed(request, "groupwork/evaluation/link_closed.html", status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def evaluation_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The questionnaire behind a participant's personal link.

    Exempt from Django's CSRF check: the secret, single-use token in the URL does its work (``koers.private_links``).
    """
    invite = find_invite(token)
    if invite is None:
        return _link_closed(request, UNKNOWN_LINK)
    if not is_open(invite):
        return _link_closed(request, CLOSED_LINK)
    questionnaire = invite.questionnaire
    form = AnswerForm(questions_of(questionnaire), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submit_answers(invite, form.answers())
        except InviteClosedError:
            return _link_closed(request, CLOSED_LINK)
        return private(redirect("groupwork:evaluation_thanks"))
    context = {"form": form, "questionnaire": questionnaire, "programme": questionnaire.programme}
    context["scale_labels"] = SCALE_LABELS
    return private(render(request, "groupwork/evaluation/public_answer.html", context))


@require_GET
def evaluation_thanks(request: HttpRequest) -> HttpResponse:
    return private(render(request, "groupwork/evaluation/thanks.html"))


@role_required(Role.TRAINER, Role.CONSULTANT)
def my_evaluations(request: AuthenticatedRequest) -> HttpResponse:
    """The staff member's open invites: trainers evaluate their runs, consultants the runs of their clients."""
    page = Paginator(open_invites_for(request.user), 25).get_page(request.GET.get("pagina"))
    return render(
        request, "groupwork/evaluation/my_evaluations.html", {"page": page, "query_prefix": query_prefix(request)}
    )


@role_required(Role.TRAINER, Role.CONSULTANT)
def staff_evaluation_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    invite = staff_invite_for(request.user, pk)
    if invite is None:
        raise Http404
    if not is_open(invite):
        return render(request, "groupwork/evaluation/staff_closed.html", status=CLOSED_LINK)
    questionnaire = invite.questionnaire
    form = AnswerForm(questions_of(questionnaire), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submit_answers(invite, form.answers())
        except InviteClosedError:
            return render(request, "groupwork/evaluation/staff_closed.html", status=CLOSED_LINK)
        messages.success(request, _("Thank you. Your answers are saved."))
        return redirect("groupwork:my_evaluations")
    context = {
        "form": form,
        "invite": invite,
        "questionnaire": questionnaire,
        "programme": questionnaire.programme,
        "scale_labels": SCALE_LABELS,
    }
    return render(request, "groupwork/evaluation/staff_answer.html", context)


def _started_message(outcome: EvaluationStart) -> str:
    parts = [
        ngettext("%(n)d e-mail sent.", "%(n)d e-mails sent.", outcome.emailed) % {"n": outcome.emailed},
        ngettext("%(n)d link to print.", "%(n)d links to print.", len(outcome.printed)) % {"n": len(outcome.printed)},
        ngettext("%(n)d staff member invited.", "%(n)d staff members invited.", outcome.staff_invited)
        % {"n": outcome.staff_invited},
    ]
    if outcome.email_failed:
        parts.append(
            ngettext(
                "%(n)d e-mail could not be sent: start the evaluation again to print those links.",
                "%(n)d e-mails could not be sent: start the evaluation again to print those links.",
                outcome.email_failed,
            )
            % {"n": outcome.email_failed}
        )
    return " ".join([_("The evaluation has started."), *parts])


@role_required(Role.PLANNER, Role.TRAINER)
def run_evaluation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Start the run's evaluation (the answer is the PDF of links to print, if any) and see its results."""
    run = run_for_evaluation(request.user, pk)
    if run is None:
        raise Http404
    results = run_results(run)
    participant = next((r for r in results if r.questionnaire.perspective == Perspective.PARTICIPANT), None)
    started = participant is not None and participant.invited > 0
    form = StartEvaluationForm(request.POST or None, started=started)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = start_evaluation(request.user, run, days_valid=form.cleaned_data["days_valid"])
        except NoQuestionnaireError:
            messages.error(request, _("This programme has no evaluation questionnaires yet."))
            return redirect("groupwork:run_evaluation", pk=run.pk)
        except RunNoLongerOpenError:
            messages.error(
                request,
                _("This group was cancelled or started too long ago: its evaluation can no longer be started."),
            )
            return redirect("groupwork:run_evaluation", pk=run.pk)
        messages.success(request, _started_message(outcome))
        if outcome.printed:
            return pdf_response(links_pdf(run, outcome.printed, request), links_filename(run))
        return redirect("groupwork:run_evaluation", pk=run.pk)
    context = {
        "run": run,
        "results": results,
        "form": form,
        "started": started,
        "min_responses": MIN_RESPONSES,
    }
    return render(request, "groupwork/evaluation/run_evaluation.html", context)


@role_required(Role.PLANNER, Role.TEAM_MANAGER, Role.POLICY)
@require_GET
def programme_evaluation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The programme's results across its runs, and per run the number of answers and the mean score."""
    programme = programme_for_results(request.user, pk)
    if programme is None:
        raise Http404
    page = Paginator(evaluated_runs(programme), 25).get_page(request.GET.get("pagina"))
    context = {
        "programme": programme,
        "results": programme_results(programme),
        "page": page,
        "rows": run_rows(list(page.object_list)),
        "perspectives": Perspective.choices,
        "min_responses": MIN_RESPONSES,
        "open_answer_limit": OPEN_ANSWERS_PER_QUESTION,
        "query_prefix": query_prefix(request),
        # Outcome figures are for team managers and policy staff; planners see logistics only (DOMAIN.md §2).
        "can_see_effects": request.user.has_role(Role.TEAM_MANAGER, Role.POLICY),
    }
    return render(request, "groupwork/evaluation/programme_evaluation.html", context)
