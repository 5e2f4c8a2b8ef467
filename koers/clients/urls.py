from django.urls import path

from koers.clients import views

app_name = "clients"

urlpatterns = [
    path("clienten/", views.client_list, name="list"),
    path("clienten/nieuw/", views.client_create, name="create"),
    path("clienten/<int:pk>/", views.client_detail, name="detail"),
    path("clienten/<int:pk>/wijzigen/", views.client_edit, name="edit"),
    path("clienten/<int:pk>/overdragen/", views.client_transfer, name="transfer"),
    path("clienten/<int:pk>/vervanging/", views.client_grant_access, name="grant_access"),
    path("clienten/<int:pk>/openen/", views.open_dossier, name="open_dossier"),
    path("clienten/<int:pk>/corrigeren/", views.client_rectify, name="rectify"),
    path("privacy/inzage-logboek/", views.access_log, name="access_log"),
    path(
        "privacy/clienten/<int:pk>/inzage.json",
        views.access_export,
        {"export_format": "json"},
        name="access_export_json",
    ),
    path(
        "privacy/clienten/<int:pk>/inzage.pdf", views.access_export, {"export_format": "pdf"}, name="access_export_pdf"
    ),
    path("privacy/clienten/<int:pk>/beperking/", views.processing_restriction, name="processing_restriction"),
]
