from django.urls import path

from koers.groupwork import capacity_views

urlpatterns = [
    path("trainers/wat-als/", capacity_views.capacity_what_if, name="capacity_what_if"),
]
