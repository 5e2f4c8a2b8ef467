from django.urls import path

from koers.retention import views

app_name = "retention"

urlpatterns = [
    path("bewaren/", views.list_index, name="index"),
    path("bewaren/te-vernietigen/", views.candidate_list, name="candidates"),
    path("bewaren/bewaarplicht/", views.hold_place, name="hold"),
    path("bewaren/bewaarplicht/<int:pk>/opheffen/", views.hold_lift, name="lift_hold"),
    path("bewaren/lijsten/nieuw/", views.list_propose, name="propose"),
    path("bewaren/lijsten/<int:pk>/", views.list_detail, name="detail"),
    path("bewaren/lijsten/<int:pk>/besluit/", views.list_decide, name="decide"),
    path("bewaren/lijsten/<int:pk>/uitvoeren/", views.list_execute, name="execute"),
    path("bewaren/lijsten/<int:pk>/voortgang/", views.list_progress, name="progress"),
]
