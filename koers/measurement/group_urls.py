"""Group pages of effect measurement; included by ``urls.py`` in the ``measurement`` namespace."""

from django.urls import URLPattern, path

from koers.measurement import group_views

urlpatterns: list[URLPattern] = [
    path("groepen/<int:pk>/effect/", group_views.run_effects_page, name="run_effects"),
    path("programmas/<int:pk>/effect/", group_views.programme_effects_page, name="programme_effects"),
    path("metingen/onderzoeksexport/", group_views.research_export, name="research_export"),
]
