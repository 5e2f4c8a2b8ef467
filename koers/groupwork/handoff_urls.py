from django.urls import URLPattern, path

from koers.groupwork import handoff_views as views

urlpatterns: list[URLPattern] = [
    path("groepen/<int:pk>/overdracht/", views.run_handoffs, name="run_handoffs"),
    path("deelnames/<int:pk>/overdracht/", views.handoff_write, name="handoff_write"),
    path("overdrachten/<int:pk>/", views.handoff_detail, name="handoff_detail"),
    path("overdrachten/<int:pk>/gezien/", views.handoff_acknowledge, name="handoff_acknowledge"),
    path("overdrachten/<int:pk>/doel/", views.handoff_to_goal, name="handoff_to_goal"),
    path("overdrachten/<int:pk>/instrument/", views.handoff_to_instrument, name="handoff_to_instrument"),
    path("afwezigheid/", views.absences, name="absences"),
    path("afwezigheid/<int:pk>/gezien/", views.absence_acknowledge, name="absence_acknowledge"),
    path(
        "afwezigheid/clienten/<int:pk>/gezien/", views.client_absences_acknowledge, name="client_absences_acknowledge"
    ),
]
