from django.urls import path

from koers.groupwork import attendance_views

urlpatterns = [
    path("sessies/<int:pk>/aanwezigheid/", attendance_views.session_attendance, name="session_attendance"),
    path("sessies/<int:pk>/verslag/", attendance_views.session_log, name="session_log"),
    path("sessies/<int:pk>/presentielijst.pdf", attendance_views.session_attendance_pdf, name="session_attendance_pdf"),
    path("mijn-groepen/", attendance_views.trainer_home, name="trainer_home"),
]
