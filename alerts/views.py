"""Sign-up form (posted from the search page), confirmation and one-click unsubscribe pages."""

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.client_address import client_ip

from . import services
from .models import SavedSearch


class SaveSearchForm(forms.Form):
    email = forms.EmailField(label=_("이메일"), max_length=254)
    frequency = forms.ChoiceField(
        label=_("받는 주기"), choices=SavedSearch.Frequency.choices, initial="weekly"
    )
    consent = forms.BooleanField(
        label=_("새 소식 메일을 받는 데 동의합니다. 해지하면 주소를 바로 지웁니다."),
        error_messages={"required": _("메일을 받으려면 동의해 주세요.")},
    )
    q = forms.CharField(required=False, max_length=100)
    type = forms.CharField(required=False, max_length=20)
    kind = forms.CharField(required=False, max_length=30)
    status = forms.CharField(required=False, max_length=30)
    region = forms.RegexField(required=False, regex=r"^\d{2}$")
    year = forms.RegexField(required=False, regex=r"^\d{4}$")


def _over_limit(request) -> bool:
    """Sign-ups per client address and hour (ALERT_SIGNUPS_PER_HOUR)."""
    key = f"alerts:signup:{client_ip(request)}:{timezone.now():%Y%m%d%H}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count > getattr(settings, "ALERT_SIGNUPS_PER_HOUR", 5)


@require_POST
def save_search(request):
    form = SaveSearchForm(request.POST)
    if not form.is_valid():
        return render(request, "alerts/signup.html", {"form": form}, status=400)
    if _over_limit(request):
        return render(request, "alerts/signup.html", {"form": form, "limited": True}, status=429)
    data = form.cleaned_data
    services.saved_search_create(
        email=data["email"],
        query=data["q"],
        filters={k: data[k] for k in services.FILTER_KEYS},
        frequency=data["frequency"],
        language=(get_language() or "ko")[:2],
    )
    return render(request, "alerts/signup.html", {"sent": True})


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    saved = SavedSearch.objects.filter(token=token).first()
    if saved is None:
        return render(request, "alerts/confirm.html", {"missing": True}, status=404)
    if request.method == "POST":  # a link scanner's GET confirms nothing
        services.saved_search_confirm(saved=saved)
    return render(request, "alerts/confirm.html", {"saved": saved})


@csrf_exempt  # RFC 8058 one-click: the mail provider POSTs without a session or token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    saved = SavedSearch.objects.filter(token=token).first()
    if request.method == "POST":
        if saved is not None:
            services.saved_search_unsubscribe(saved=saved)
        return render(request, "alerts/unsubscribe.html", {"done": True})
    if saved is None:
        return render(request, "alerts/unsubscribe.html", {"done": True}, status=404)
    return render(request, "alerts/unsubscribe.html", {"saved": saved})
