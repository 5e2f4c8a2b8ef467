from django.urls import URLPattern, path

from koers.groupwork import evaluation_views as views

urlpatterns: list[URLPattern] = [
    # Public, without login: the participant's personal link. "bedankt" comes first; it is never a token.
    path("vragenlijst/bedankt/", views.evaluation_thanks, name="evaluation_thanks"),
    path("vragenlijst/<str:token>/", views.evaluation_answer, name="evaluation_answer"),
    path("evaluaties/", views.my_evaluations, name="my_evaluations"),
    path("evaluaties/<int:pk>/", views.staff_evaluation_answer, name="staff_evaluation_answer"),
    path("groepen/<int:pk>/evaluatie/", views.run_evaluation, name="run_evaluation"),
    path("programmas/<int:pk>/evaluatie/", views.programme_evaluation, name="programme_evaluation"),
]
