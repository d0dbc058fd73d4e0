"""URLs of the registry's pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from . import mfa, views
from . import views_monitoring as monitoring

handler500 = "jdmtrack.registry.security.server_error"

urlpatterns = [
    path("", RedirectView.as_view(url="/patients/", permanent=False)),
    path("login/", auth_views.LoginView.as_view(template_name="registry/login.html"),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("mfa/", mfa.mfa, name="mfa"),
    path("patients/", views.patient_list, name="patients"),
    path("patients/<int:pk>/", views.patient_page, name="patient"),
    path("patients/<int:pk>/visits/new/", views.visit_form, name="visit_new"),
    path("visits/<int:pk>/", views.visit_form, name="visit"),
    path("patients/<int:pk>/visits/preview/", views.visit_preview, name="visit_preview"),
    path("audit/<str:table>/<int:pk>/", views.record_audit, name="record_audit"),
    path("patients/<int:pk>/queries/", monitoring.raise_query, name="raise_query"),
    path("patients/<int:pk>/queries/from-warnings/", monitoring.warning_queries,
         name="warning_queries"),
    path("queries/<int:pk>/", monitoring.query_page, name="query"),
    path("visits/<int:pk>/sdv/", monitoring.verify_visit, name="sdv"),
    path("patients/<int:pk>/lock/", monitoring.lock, name="lock"),
    path("patients/<int:pk>/unlock/", monitoring.unlock, name="unlock"),
    path("patients/<int:pk>/sign/", monitoring.sign, name="sign"),
    path("patients/<int:pk>/consent/", monitoring.consent, name="consent"),
]
