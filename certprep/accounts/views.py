from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from certprep.accounts import services
from certprep.core.actors import SignedInRequest


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@login_required
def account(request: SignedInRequest) -> HttpResponse:
    """The signed-in user's account: password, and the API tokens that still work."""
    return render(request, "accounts/account.html", {"tokens": services.tokens_of(request.user)})


@login_required
@require_POST
def token_revoke(request: SignedInRequest, token_id: int) -> HttpResponse:
    if not services.token_revoke_by_id(user=request.user, token_id=token_id):
        raise Http404(_("No such token."))  # another user's token is never found
    messages.success(request, _("Token revoked: it no longer works."))
    return redirect("accounts:account")


@login_required
@require_POST
def tokens_revoke_all(request: SignedInRequest) -> HttpResponse:
    count = services.tokens_revoke_all(user=request.user)
    messages.success(
        request,
        ngettext(
            "%(n)s token revoked: it no longer works.", "%(n)s tokens revoked: none of them works any more.", count
        )
        % {"n": count},
    )
    return redirect("accounts:account")
