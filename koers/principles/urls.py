from django.urls import path

from koers.principles import views

app_name = "principles"

urlpatterns = [
    path("trajecten/<int:pk>/principes/", views.trajectory_principles, name="trajectory"),
    path("kwaliteit/principes/", views.team_principles, name="team"),
]
