"""Reads for the evaluation: scoped runs and programmes, open invites, and results aggregated in the database.

Results never show a participant's answers where they could be traced to a person: the participant perspective
of a run is shown only from ``MIN_RESPONSES`` answers on, and the programme's figures count only runs that reached
that number (otherwise the programme total minus the other runs would give a small run's answers away).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from koers.access.scoping import scope
from koers.groupwork.models import (
    Answer,
    EvaluationInvite,
    EvaluationResponse,
    GroupRun,
    Perspective,
    Programme,
    Question,
    QuestionKind,
    Questionnaire,
)

MIN_RESPONSES = 3
SCORES = (1, 2, 3, 4, 5)
# The programme page lists this many of the newest open answers per question.
OPEN_ANSWERS_PER_QUESTION = 25


def run_for_evaluation(user: Any, pk: int) -> GroupRun | None:
    """The run if the user is its organisation's planner or one of its trainers."""
    runs = scope(GroupRun.objects.all(), user).select_related("programme__organisation")
    return runs.filter(pk=pk).first()


def programme_for_results(user: Any, pk: int) -> Programme | None:
    """A programme of the user's own organisation."""
    return Programme.objects.filter(pk=pk, organisation_id=user.organisation_id).first()


def open_invites_for(user: Any) -> QuerySet[EvaluationInvite]:
    """The staff member's own invites that can still be answered, the first to expire first."""
    return (
        EvaluationInvite.objects.filter(respondent=user, used_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("questionnaire", "group_run__programme")
        .order_by("expires_at", "pk")
    )


def staff_invite_for(user: Any, pk: int) -> EvaluationInvite | None:
    """One of the staff member's own invites (open or not); someone else's is not found."""
    return (
        EvaluationInvite.objects.filter(pk=pk, respondent=user)
        .select_related("questionnaire__programme", "group_run")
        .first()
    )


def questions_of(questionnaire: Questionnaire) -> list[Question]:
    return list(questionnaire.questions.all())


@dataclass
class QuestionResult:
    question: Question
    n: int = 0
    mean: float | None = None
    distribution: list[tuple[int, int, int]] = field(default_factory=list)  # (score, count, percent)
    open_answers: list[str] = field(default_factory=list)


@dataclass
class PerspectiveResult:
    questionnaire: Questionnaire
    responses: int = 0
    invited: int = 0
    answered: int = 0
    suppressed: bool = False
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def perspective_label(self) -> str:
        return str(Perspective(self.questionnaire.perspective).label)


@dataclass
class RunRow:
    """One run on the programme page: per perspective the number of answers and the mean of all scale answers."""

    run_id: int
    start_date: Any
    by_perspective: dict[str, tuple[int, float | None]] = field(default_factory=dict)

    @property
    def cells(self) -> list[tuple[int, float | None] | None]:
        """In the order of ``Perspective``, ``None`` where nobody of that perspective answered."""
        return [self.by_perspective.get(perspective) for perspective in Perspective.values]


def _questionnaires(programme_id: int) -> list[Questionnaire]:
    """The programme's questionnaires in the order participant, trainer, consultant."""
    order = list(Perspective.values)
    questionnaires = Questionnaire.objects.filter(programme_id=programme_id).prefetch_related("questions")
    return sorted(questionnaires, key=lambda questionnaire: order.index(questionnaire.perspective))


def _scale_figures(answers: QuerySet[Answer]) -> dict[int, dict[str, Any]]:
    """Per question: number of answers, mean and count per score, in one grouped query."""
    per_score = {f"s{score}": Count("pk", filter=Q(score=score)) for score in SCORES}
    rows = (
        answers.filter(score__isnull=False)
        .values("question_id")
        .annotate(n=Count("pk"), mean=Avg("score"), **per_score)
        .order_by()
    )
    return {row["question_id"]: row for row in rows}


def _fill(result: PerspectiveResult, figures: dict[int, dict[str, Any]], texts: dict[int, list[str]]) -> None:
    for question in result.questionnaire.questions.all():
        item = QuestionResult(question=question)
        if question.kind == QuestionKind.SCALE:
            row = figures.get(question.pk)
            if row and row["n"]:
                item.n = row["n"]
                item.mean = float(row["mean"])
                item.distribution = [
                    (score, row[f"s{score}"], round(100 * row[f"s{score}"] / row["n"])) for score in SCORES
                ]
            else:
                item.distribution = [(score, 0, 0) for score in SCORES]
        else:
            item.open_answers = texts.get(question.pk, [])
            item.n = len(item.open_answers)
        result.questions.append(item)


def _must_suppress(questionnaire: Questionnaire, responses: int) -> bool:
    return questionnaire.perspective == Perspective.PARTICIPANT and responses < MIN_RESPONSES


def run_results(run: GroupRun) -> list[PerspectiveResult]:
    """Invited, answered and the results per perspective of one run (six queries, whatever the number of answers)."""
    questionnaires = _questionnaires(run.programme_id)
    invited = EvaluationInvite.objects.filter(group_run=run).values("questionnaire_id").order_by()
    counts = {
        row["questionnaire_id"]: row
        for row in invited.annotate(
            invited=Count("participation", distinct=True) + Count("respondent", distinct=True),
            answered=Count("pk", filter=Q(used_at__isnull=False)),
        )
    }
    responses = dict(
        EvaluationResponse.objects.filter(group_run=run)
        .values("questionnaire_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("questionnaire_id", "n")
    )
    answers = Answer.objects.filter(response__group_run=run)
    figures = _scale_figures(answers)
    texts: dict[int, list[str]] = defaultdict(list)
    # Alphabetical, not in the order of answering: the order would tell who wrote what to someone who was there.
    open_rows = (
        answers.filter(question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .order_by("question_id", "text")
        .values_list("question_id", "text")
    )
    for question_id, text in open_rows:
        texts[question_id].append(text)
    results = []
    for questionnaire in questionnaires:
        count = counts.get(questionnaire.pk, {})
        result = PerspectiveResult(
            questionnaire=questionnaire,
            responses=responses.get(questionnaire.pk, 0),
            invited=count.get("invited", 0),
            answered=count.get("answered", 0),
        )
        result.suppressed = _must_suppress(questionnaire, result.responses)
        if not result.suppressed:
            _fill(result, figures, texts)
        results.append(result)
    return results


def _counted_responses(programme: Programme) -> QuerySet[EvaluationResponse]:
    """The programme's responses that count: a participant's only from runs with enough participant answers."""
    participant_responses = EvaluationResponse.objects.filter(
        questionnaire__programme=programme, perspective=Perspective.PARTICIPANT
    )
    large_enough = (
        participant_responses.values("group_run_id")
        .annotate(n=Count("pk"))
        .order_by()
        .filter(n__gte=MIN_RESPONSES)
        .values("group_run_id")
    )
    return EvaluationResponse.objects.filter(questionnaire__programme=programme).filter(
        ~Q(perspective=Perspective.PARTICIPANT) | Q(group_run_id__in=large_enough)
    )


def programme_results(programme: Programme) -> list[PerspectiveResult]:
    """The programme's results per perspective across its runs (five queries)."""
    questionnaires = _questionnaires(programme.pk)
    counted = _counted_responses(programme)
    responses = dict(
        counted.values("questionnaire_id").annotate(n=Count("pk")).order_by().values_list("questionnaire_id", "n")
    )
    answers = Answer.objects.filter(response__in=counted.values("pk"))
    figures = _scale_figures(answers)
    newest_first = (
        answers.filter(question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .annotate(rank=Window(RowNumber(), partition_by=F("question_id"), order_by=F("pk").desc()))
        .filter(rank__lte=OPEN_ANSWERS_PER_QUESTION)
        .order_by("question_id", "-pk")
        .values_list("question_id", "text")
    )
    texts: dict[int, list[str]] = defaultdict(list)
    for question_id, text in newest_first:
        texts[question_id].append(text)
    for listed in texts.values():
        listed.sort()
    results = []
    for questionnaire in questionnaires:
        result = PerspectiveResult(questionnaire=questionnaire, responses=responses.get(questionnaire.pk, 0))
        result.suppressed = _must_suppress(questionnaire, result.responses)
        if not result.suppressed:
            _fill(result, figures, texts)
        results.append(result)
    return results


def evaluated_runs(programme: Programme) -> QuerySet[GroupRun]:
    """The programme's runs with at least one response, newest first (to paginate)."""
    with_responses = EvaluationResponse.objects.filter(questionnaire__programme=programme).values("group_run_id")
    return GroupRun.objects.filter(pk__in=with_responses).order_by("-start_date", "-pk")


def run_rows(runs: list[GroupRun]) -> list[RunRow]:
    """Per run and perspective: answers and the mean of all scale answers (one query for the page of runs).

    A run's participant mean is left out below ``MIN_RESPONSES`` participant answers.
    """
    rows = {run.pk: RunRow(run_id=run.pk, start_date=run.start_date) for run in runs}
    figures = (
        EvaluationResponse.objects.filter(group_run_id__in=list(rows))
        .values("group_run_id", "perspective")
        .annotate(responses=Count("pk", distinct=True), mean=Avg("answers__score"))
        .order_by()
    )
    for figure in figures:
        row = rows[figure["group_run_id"]]
        n, mean = figure["responses"], figure["mean"]
        if figure["perspective"] == Perspective.PARTICIPANT and n < MIN_RESPONSES:
            mean = None
        row.by_perspective[figure["perspective"]] = (n, float(mean) if mean is not None else None)
    return list(rows.values())
