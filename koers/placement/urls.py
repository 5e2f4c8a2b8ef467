from django.urls import URLPattern, path

from koers.placement import views

app_name = "placement"

urlpatterns: list[URLPattern] = [
    path("wachtlijsten/<int:programme_pk>/indeling-voorstellen/", views.request_proposal, name="request"),
    path("indeling/<int:pk>/", views.proposal_detail, name="proposal"),
    path("indeling/<int:pk>/voortgang/", views.proposal_progress, name="progress"),
    path("indeling/<int:pk>/accepteren/", views.accept, name="accept"),
    path("indeling/<int:pk>/opnieuw/", views.rerun, name="rerun"),
]
