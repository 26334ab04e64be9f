import json

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Delivery, Subscription
from .serializers import PUBLIC_RECORDS, record_type_choices
from .services import webhook_delivery_resend, webhook_test_send


class SubscriptionForm(forms.ModelForm):
    record_types = forms.MultipleChoiceField(
        label=_("레코드 종류"),
        choices=record_type_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("생성·수정·삭제를 받을 공개 레코드 종류를 고릅니다."),
    )

    class Meta:
        model = Subscription
        fields = ["name", "url", "secret", "record_types", "is_active", "note"]


#: Test deliveries are sent while the admin waits: at most this many per click.
TEST_SEND_LIMIT = 5


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["name", "url", "is_active", "record_type_count", "failed_count", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url", "note"]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["send_test"]

    def has_send_test_permission(self, request):
        return request.user.has_perm("webhooks.change_subscription")

    @admin.action(description=_("선택한 구독에 시험 전송 보내기"), permissions=["send_test"])
    def send_test(self, request, queryset):
        """Send a signed ``webhook.test`` delivery to each chosen subscriber now and show how
        it answered (the delivery is kept in the log)."""
        for subscription in queryset.order_by("name", "pk")[:TEST_SEND_LIMIT]:
            delivery = webhook_test_send(subscription_id=subscription.pk)
            values = {
                "name": subscription.name,
                "code": delivery.response_code or "—",
                "ms": delivery.duration_ms,
                "body": delivery.response_excerpt[:200] or "(빈 본문)",
                "error": delivery.last_error,
            }
            if delivery.status == Delivery.Status.SUCCEEDED:
                self.message_user(
                    request,
                    _("‘%(name)s’ 시험 전송 성공: HTTP %(code)s, %(ms)s ms, 응답: %(body)s")
                    % values,
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    _(
                        "‘%(name)s’ 시험 전송 실패: %(error)s (HTTP %(code)s, %(ms)s ms), "
                        "응답: %(body)s"
                    )
                    % values,
                    messages.ERROR,
                )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED))
            )
        )

    @admin.display(description=_("레코드 종류 수"))
    def record_type_count(self, obj):
        return len([label for label in obj.record_types if label in PUBLIC_RECORDS])

    @admin.display(description=_("실패한 전송"), ordering="failed")
    def failed_count(self, obj):
        return obj.failed


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "subscription",
        "event_name",
        "record_id",
        "status",
        "attempts",
        "response_code",
        "duration_ms",
        "short_error",
        "delivered_at",
    ]
    list_filter = ["status", "action", "record_type", "subscription"]
    list_select_related = ["subscription"]
    search_fields = ["=delivery_id", "=record_id", "last_error"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    fields = [
        "subscription",
        "delivery_id",
        "record_type",
        "record_id",
        "action",
        "status",
        "attempts",
        "response_code",
        "duration_ms",
        "response_excerpt",
        "last_error",
        "created_at",
        "last_attempt_at",
        "delivered_at",
        "change_key",
        "payload_pretty",
    ]
    readonly_fields = fields
    list_per_page = 100
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("이벤트"), ordering="record_type")
    def event_name(self, obj):
        return obj.event

    @admin.display(description=_("마지막 오류"))
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.display(description=_("본문"))
    def payload_pretty(self, obj):
        return format_html(
            "<pre>{}</pre>", json.dumps(obj.payload, ensure_ascii=False, indent=2, sort_keys=True)
        )

    def has_resend_permission(self, request):
        return request.user.has_perm("webhooks.change_subscription")

    @admin.action(description=_("선택한 전송 다시 보내기"), permissions=["resend"])
    def resend(self, request, queryset):
        count = webhook_delivery_resend(delivery_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            _("%(count)d건을 다시 보내도록 예약했습니다.") % {"count": count},
            messages.SUCCESS,
        )
