from django.urls import path

from koers.trajectories import progress_views as views

app_name = "progress"

urlpatterns = [
    path("trajecten/<int:pk>/rapportages/", views.history, name="history"),
    path("trajecten/<int:pk>/rapportages/nieuw/", views.report_create, name="report_create"),
    path("rapportages/<int:pk>/", views.report_detail, name="report_detail"),
    path("rapportages/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("trajecten/<int:pk>/casuistiek/", views.case_discussion_page, name="case_discussion"),
    path("trajecten/<int:pk>/casuistiek/pdf/", views.case_discussion_pdf, name="case_discussion_pdf"),
]
