"""Demo routes, included under /demo/ only in demo mode."""

from django.urls import path

from followup.demo import views

urlpatterns = [
    path("phone/", views.phone, name="demo-phone"),
    path("phone/<int:patient_id>/", views.phone, name="demo-phone-patient"),
]
