from django.urls import path

from koers.groupwork import views

app_name = "groupwork"

urlpatterns = [
    path("groepen/", views.run_list, name="runs"),
    path("groepen/<int:pk>/", views.run_detail, name="run_detail"),
]
