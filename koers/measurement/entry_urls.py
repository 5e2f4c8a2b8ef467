"""Entry pages of effect measurement; included by ``urls.py`` in the ``measurement`` namespace."""

from django.urls import URLPattern, path

from koers.measurement import entry_views

urlpatterns: list[URLPattern] = [
    path("trajecten/<int:pk>/metingen/nieuw/", entry_views.measurement_create, name="create"),
    path("metingen/<int:pk>/invullen/", entry_views.measurement_enter, name="enter"),
    path("metingen/<int:pk>/link/", entry_views.measurement_link, name="link"),
    path("metingen/<int:pk>/annuleren/", entry_views.measurement_cancel, name="cancel"),
    # The thank-you page comes before the token pattern, which would otherwise take "bedankt" for a token.
    path("m/bedankt/", entry_views.measurement_thanks, name="thanks"),
    path("m/<str:token>/", entry_views.measurement_answer, name="answer"),
]
