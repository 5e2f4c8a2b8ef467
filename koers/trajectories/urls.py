from django.urls import path

from koers.trajectories import views

app_name = "trajectories"

urlpatterns = [
    path("clienten/<int:client_pk>/traject/nieuw/", views.trajectory_start, name="start"),
    path("trajecten/<int:pk>/", views.trajectory_detail, name="detail"),
    path("trajecten/<int:pk>/perspectief/", views.perspective_edit, name="perspective"),
    path("trajecten/<int:pk>/leefgebieden/nieuw/", views.life_domain_assessment_create, name="life_domains"),
    path("trajecten/<int:pk>/igm/nieuw/", views.igm_profile_create, name="igm_profile"),
    path("trajecten/<int:pk>/doelen/nieuw/", views.goal_create, name="goal_create"),
    path("doelen/<int:pk>/wijzigen/", views.goal_edit, name="goal_edit"),
    path("trajecten/<int:pk>/instrumenten/nieuw/", views.instrument_create, name="instrument_create"),
    path("instrumenten/<int:pk>/wijzigen/", views.instrument_edit, name="instrument_edit"),
    path("trajecten/<int:pk>/plan/", views.plan_agreement, name="plan_agreement"),
    path("trajecten/<int:pk>/afsluiten/", views.trajectory_end, name="end"),
]
