"""results pages of effect measurement; included by ``urls.py`` in the ``measurement`` namespace."""

from django.urls import URLPattern, path

from koers.measurement import results_views

urlpatterns: list[URLPattern] = [
    path("trajecten/<int:pk>/metingen/", results_views.overview, name="overview"),
]
