"""Public pages without login (network partners): the programme catalogue and one programme with its starts."""

from django.urls import path

from koers.groupwork import public_views

urlpatterns = [
    path("aanbod/", public_views.catalogue_page, name="catalogue"),
    path("aanbod/<int:pk>/", public_views.programme_page, name="programme_public"),
]
