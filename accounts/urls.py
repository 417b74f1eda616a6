from __future__ import annotations

from django.urls import path

from accounts import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("login/code/", views.sign_in_verify, name="login_verify"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/enable/", views.two_factor_enable, name="two_factor_enable"),
    path("two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
]
