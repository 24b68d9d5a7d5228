from django.urls import path

from certprep.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("signin/", views.SignInView.as_view(), name="login"),
    path("signout/", views.SignOutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("tokens/revoke/", views.tokens_revoke_all, name="tokens_revoke_all"),
]
