"""Measurement questionnaires in the administrator's configuration screen: versions are edited as drafts, published
by an action and frozen after; other organisations stay out."""

import pytest
from django.urls import reverse

from koers.accounts.roles import Role
from koers.measurement.models import Item, MeasurementPolicy, Questionnaire, QuestionnaireVersion, VersionStatus
from tests import factories
from tests.measurement_factories import QuestionnaireFactory, completed_measurement, small_questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR)


def _draft_of(version: QuestionnaireVersion) -> QuestionnaireVersion:
    from koers.measurement.services import new_draft_from

    return new_draft_from(None, version)


def _management(prefix: str, total: int, initial: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _change_data(version: QuestionnaireVersion, item_text: str) -> dict[str, str]:
    """The change form as posted, with every item's text set to ``item_text``."""
    scales = list(version.scales.all())
    items = list(version.items.all())
    data = {
        "introduction": version.introduction,
        "answer_min": str(version.answer_min),
        "answer_max": str(version.answer_max),
        "answer_labels": "\n".join(version.answer_labels),
        **_management("scales", len(scales), len(scales)),
        **_management("items", len(items), len(items)),
    }
    for i, scale in enumerate(scales):
        data |= {
            f"scales-{i}-id": str(scale.pk),
            f"scales-{i}-version": str(version.pk),
            f"scales-{i}-position": str(scale.position),
            f"scales-{i}-code": scale.code,
            f"scales-{i}-name": scale.name,
            f"scales-{i}-kind": scale.kind,
            f"scales-{i}-igm_factor": scale.igm_factor,
            f"scales-{i}-life_domain": scale.life_domain,
            f"scales-{i}-reliability": str(scale.reliability or ""),
            f"scales-{i}-reference_mean": str(scale.reference_mean or ""),
            f"scales-{i}-reference_sd": str(scale.reference_sd or ""),
            f"scales-{i}-higher_is_better": "on",
            f"scales-{i}-source": scale.source,
        }
    for i, item in enumerate(items):
        data |= {
            f"items-{i}-id": str(item.pk),
            f"items-{i}-version": str(version.pk),
            f"items-{i}-position": str(item.position),
            f"items-{i}-text": item_text,
            f"items-{i}-scale": str(item.scale_id),
        }
    return data


def test_the_administrator_publishes_a_draft_with_the_action(administrator, login) -> None:
    published = small_questionnaire(administrator.organisation)
    draft = _draft_of(published)
    response = login(administrator).post(
        reverse("admin:measurement_questionnaireversion_changelist"),
        {"action": "publish", "_selected_action": [str(draft.pk)]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert published.status == VersionStatus.RETIRED


def test_an_incomplete_draft_is_not_published_and_says_why(administrator, login) -> None:
    questionnaire = QuestionnaireFactory(organisation=administrator.organisation)
    draft = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1, answer_labels=["a"])
    http = login(administrator)
    response = http.post(
        reverse("admin:measurement_questionnaireversion_changelist"),
        {"action": "publish", "_selected_action": [str(draft.pk)]},
        follow=True,
    )
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert "was not published" in response.content.decode() or "niet gepubliceerd" in response.content.decode()


def test_new_version_from_this_one_makes_a_draft_copy(administrator, login) -> None:
    published = small_questionnaire(administrator.organisation)
    login(administrator).post(
        reverse("admin:measurement_questionnaireversion_changelist"),
        {"action": "new_version", "_selected_action": [str(published.pk)]},
    )
    draft = QuestionnaireVersion.objects.get(questionnaire=published.questionnaire, number=2)
    assert draft.status == VersionStatus.DRAFT
    assert draft.items.count() == published.items.count()


def test_a_draft_can_be_edited(administrator, login) -> None:
    draft = _draft_of(small_questionnaire(administrator.organisation))
    url = reverse("admin:measurement_questionnaireversion_change", args=[draft.pk])
    assert 'name="items-0-text"' in login(administrator).get(url).content.decode()
    response = login(administrator).post(url, _change_data(draft, "Ik heb werk dat bij mij past."))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(draft.items.values_list("text", flat=True)) == {"Ik heb werk dat bij mij past."}


def test_a_published_versions_items_cannot_be_changed(administrator, login) -> None:
    published = small_questionnaire(administrator.organisation)
    before = list(Item.objects.filter(version=published).values_list("pk", "text"))
    url = reverse("admin:measurement_questionnaireversion_change", args=[published.pk])
    http = login(administrator)
    page = http.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert before[0][1] in html
    assert 'name="items-0-text"' not in html
    assert 'name="answer_labels"' not in html
    assert http.post(url, _change_data(published, "Gewijzigd")).status_code == 403
    assert list(Item.objects.filter(version=published).values_list("pk", "text")) == before
    published.refresh_from_db()
    assert published.status == VersionStatus.PUBLISHED


def test_a_published_or_used_version_cannot_be_deleted(administrator, login, consultant) -> None:
    published = small_questionnaire(administrator.organisation)
    draft = _draft_of(published)
    http = login(administrator)
    assert http.get(reverse("admin:measurement_questionnaireversion_delete", args=[published.pk])).status_code == 403
    assert http.get(reverse("admin:measurement_questionnaireversion_delete", args=[draft.pk])).status_code == 200
    completed_measurement(version=draft)
    assert http.get(reverse("admin:measurement_questionnaireversion_delete", args=[draft.pk])).status_code == 403


def test_a_new_version_is_numbered_after_the_last(administrator, login) -> None:
    published = small_questionnaire(administrator.organisation)
    response = login(administrator).post(
        reverse("admin:measurement_questionnaireversion_add"),
        {
            "questionnaire": str(published.questionnaire_id),
            "introduction": "",
            "answer_min": "1",
            "answer_max": "3",
            "answer_labels": "Nee\nSoms\nJa",
            **_management("scales", 0, 0),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = QuestionnaireVersion.objects.get(questionnaire=published.questionnaire, number=2)
    assert (created.status, created.answer_labels) == (VersionStatus.DRAFT, ["Nee", "Soms", "Ja"])


def test_labels_must_fit_the_answer_range(administrator, login) -> None:
    published = small_questionnaire(administrator.organisation)
    response = login(administrator).post(
        reverse("admin:measurement_questionnaireversion_add"),
        {
            "questionnaire": str(published.questionnaire_id),
            "answer_min": "1",
            "answer_max": "5",
            "answer_labels": "Nee\nJa",
            **_management("scales", 0, 0),
        },
    )
    assert response.status_code == 200
    assert not QuestionnaireVersion.objects.filter(number=2).exists()


def test_another_organisations_questionnaire_is_invisible(administrator, login) -> None:
    elsewhere = factories.OrganisationFactory(name="Ander werkbedrijf")
    foreign = small_questionnaire(elsewhere)
    foreign.questionnaire.name = "Vreemde meting"
    foreign.questionnaire.save()
    small_questionnaire(administrator.organisation)
    http = login(administrator)
    assert "Vreemde meting" not in http.get(reverse("admin:measurement_questionnaire_changelist")).content.decode()
    assert "Vreemde meting" not in (
        http.get(reverse("admin:measurement_questionnaireversion_changelist")).content.decode()
    )
    response = http.get(reverse("admin:measurement_questionnaireversion_change", args=[foreign.pk]))
    assert response.status_code == 302  # Django's "does not exist" redirect to the admin index
    add_form = http.get(reverse("admin:measurement_measurementpolicy_add")).content.decode()
    assert "Vreemde meting" not in add_form


def test_the_policy_needs_a_published_questionnaire_and_is_one_per_organisation(administrator, login) -> None:
    draft_only = QuestionnaireFactory(organisation=administrator.organisation)
    QuestionnaireVersion.objects.create(questionnaire=draft_only, number=1)
    published = small_questionnaire(administrator.organisation)
    http = login(administrator)
    url = reverse("admin:measurement_measurementpolicy_add")
    data = {
        "start_within_days": "14",
        "interval_weeks": "13",
        "measure_at_end": "on",
        "link_valid_days": "14",
        "group_window_days": "42",
    }
    assert http.post(url, {**data, "questionnaire": str(draft_only.pk)}).status_code == 200
    assert not MeasurementPolicy.objects.exists()
    assert http.post(url, {**data, "questionnaire": str(published.questionnaire_id)}).status_code == 302
    policy = MeasurementPolicy.objects.get()
    assert policy.organisation_id == administrator.organisation_id
    assert http.get(url).status_code == 403


def test_a_questionnaire_is_added_to_the_own_organisation_with_a_unique_name(administrator, login) -> None:
    http = login(administrator)
    url = reverse("admin:measurement_questionnaire_add")
    data = {"name": "Voortgangsmeting", "description": ""}
    assert http.post(url, data).status_code == 302
    questionnaire = Questionnaire.objects.get()
    assert questionnaire.organisation_id == administrator.organisation_id
    response = http.post(url, data)
    assert response.status_code == 200
    assert Questionnaire.objects.count() == 1
    change = http.get(reverse("admin:measurement_questionnaire_change", args=[questionnaire.pk]))
    assert reverse("admin:measurement_questionnaireversion_add") + f"?questionnaire={questionnaire.pk}" in (
        change.content.decode()
    )


def test_other_roles_do_not_configure_measurement(make_user, login) -> None:
    consultant = make_user(Role.CONSULTANT)
    response = login(consultant).get(reverse("admin:measurement_questionnaire_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith("/beheer/login/")
