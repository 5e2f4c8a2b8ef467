"""group pages of effect measurement; included by ``urls.py`` in the ``measurement`` namespace."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
