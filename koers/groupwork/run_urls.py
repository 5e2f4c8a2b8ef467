from django.urls import path

from koers.groupwork import run_views

urlpatterns = [
    path("groepen/nieuw/", run_views.run_create, name="run_create"),
    path("groepen/<int:pk>/wijzigen/", run_views.run_edit, name="run_edit"),
    path("groepen/<int:pk>/afronden/", run_views.run_complete, name="run_complete"),
    path("groepen/<int:pk>/annuleren/", run_views.run_cancel, name="run_cancel"),
    path("groepen/<int:pk>/verlengen/", run_views.run_extend, name="run_extend"),
    path("sessies/<int:pk>/wijzigen/", run_views.session_edit, name="session_edit"),
    path("ruimtes/", run_views.rooms, name="rooms"),
    path("trainers/", run_views.trainer_capacity, name="trainer_capacity"),
]
