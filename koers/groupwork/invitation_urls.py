from django.urls import URLPattern, path

from koers.groupwork import invitation_views

urlpatterns: list[URLPattern] = [
    path("groepen/<int:pk>/uitnodigingen/", invitation_views.run_invitations, name="run_invitations"),
    path("groepen/<int:pk>/uitnodigingen.pdf", invitation_views.run_invitation_letters, name="run_invitation_letters"),
]
