from django.urls import path

from koers.caseload import views

app_name = "caseload"

urlpatterns = [
    path("caseload/", views.index, name="index"),
]
