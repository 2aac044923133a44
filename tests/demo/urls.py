"""The routes of a DEMO_MODE=1 process, for tests that install the demo app in this one."""

from django.urls import include, path

from followup import urls as project

urlpatterns = [*project.urlpatterns, path("demo/", include("followup.demo.urls"))]
handler400 = project.handler400
