from django.urls import path

from koers.imports import views

app_name = "imports"

urlpatterns = [
    path("importeren/", views.import_list, name="list"),
    path("importeren/nieuw/", views.import_new, name="new"),
    path("importeren/<int:pk>/", views.import_detail, name="detail"),
    path("importeren/<int:pk>/voortgang/", views.import_progress, name="progress"),
    path("importeren/<int:pk>/afgewezen-rijen.csv", views.import_report, name="report"),
]
