"""The edge: one client address behind trusted proxies (API throttle, logs, gunicorn), control
characters refused before any view, oversized bodies refused unread, security headers on every
response including static files."""

import json
import logging

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from config.security import ClientAddressLogFilter
from core.client_address import client_ip, parse_address
from tests import factories as f

PROXY = "10.0.0.5"
ATTACKER = "203.0.113.66"
VICTIM = "198.51.100.7"


def meta_request(remote_addr: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


# --- the one client address -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # no proxy configured: the header is ignored, whoever sends it
        ([], ATTACKER, VICTIM, ATTACKER),
        # a proxy is configured, but this peer is not it: a direct caller's header is ignored
        ([PROXY], ATTACKER, VICTIM, ATTACKER),
        # through the proxy: the address it appended is the client
        ([PROXY], PROXY, ATTACKER, ATTACKER),
        # through the proxy, with a spoofed left part: the proxy's (right-most) entry counts
        ([PROXY], PROXY, f"{VICTIM}, {ATTACKER}", ATTACKER),
        # two trusted hops (a CDN network and the proxy), the client before them
        (["10.0.0.0/24", "192.0.2.0/24"], PROXY, f"{VICTIM}, {ATTACKER}, 192.0.2.9", ATTACKER),
        # garbage passed on by the proxy: stop at the last trusted address
        ([PROXY], PROXY, "not-an-address", PROXY),
        # no header at all behind the proxy: the proxy itself
        ([PROXY], PROXY, None, PROXY),
        # ports and IPv6 brackets as some proxies write them
        ([PROXY], PROXY, "[2001:db8::1]:4711", "2001:db8::1"),
        ([PROXY], PROXY, "198.51.100.7:4711", VICTIM),
        # IPv4-mapped IPv6 peer
        ([PROXY], f"::ffff:{PROXY}", ATTACKER, ATTACKER),
    ],
    ids=[
        "no-proxy",
        "untrusted-peer",
        "through-proxy",
        "spoofed-left-part",
        "two-trusted-hops",
        "garbage-hop",
        "no-header",
        "ipv6-with-port",
        "ipv4-with-port",
        "mapped-peer",
    ],
)
def test_client_address(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(meta_request(remote, forwarded)) == expected


def test_parse_address_refuses_garbage():
    assert parse_address("") is None
    assert parse_address("1.2.3") is None
    assert parse_address("\x00") is None
    assert str(parse_address(" 1.2.3.4 ")) == "1.2.3.4"


def test_a_bad_trusted_proxy_setting_stops_start_up(monkeypatch):
    from tests.ops.test_production import run_production

    result = run_production(["manage.py", "check"], TRUSTED_PROXIES="10.0.0.0/8,proxy.local")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: 'proxy.local' is not an IP address or CIDR network." in result.stderr


# --- the API rate limit counts the client address ----------------------------------------------


@pytest.fixture
def limited(settings):
    from django.core.cache import cache

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min"},
    }
    settings.TRUSTED_PROXIES = [PROXY]
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_a_rotating_forwarded_header_from_an_untrusted_peer_does_not_escape_the_limit(limited):
    client = APIClient()
    # when: one caller sends 6 requests, each with another made-up X-Forwarded-For
    statuses = [
        client.get(
            "/api/v1/regions/", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        ).status_code
        for n in range(6)
    ]
    # then: the limit of 3 applies to its real address
    assert statuses == [200, 200, 200, 429, 429, 429]


@pytest.mark.django_db
def test_spoofing_a_victims_address_through_the_proxy_does_not_throttle_the_victim(limited):
    client = APIClient()
    # given: the attacker exhausts the limit, writing the victim's address in front
    for _ in range(5):
        client.get(
            "/api/v1/regions/",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"{VICTIM}, {ATTACKER}",
        )
    # when: the victim calls through the same proxy
    response = client.get("/api/v1/regions/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=VICTIM)
    attacker = client.get(
        "/api/v1/regions/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{VICTIM}, {ATTACKER}"
    )
    # then
    assert (response.status_code, attacker.status_code) == (200, 429)


# --- logs ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_log_lines_of_a_request_carry_the_client_address(client, settings, caplog):
    settings.TRUSTED_PROXIES = [PROXY]
    caplog.set_level(logging.WARNING, logger="django.request")
    # when: a page that logs (a 404 is logged by django.request)
    client.get("/no-such-page/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{VICTIM}, {ATTACKER}")
    client.get("/no-such-page/", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=VICTIM)
    # then: the filter adds the one client address, never the spoofed one
    records = [r for r in caplog.records if r.name == "django.request"]
    log_filter = ClientAddressLogFilter()
    for record in records:
        log_filter.filter(record)
    assert [r.client_ip for r in records] == [ATTACKER, ATTACKER]


def test_gunicorn_access_log_writes_the_client_address():
    from config import gunicorn

    assert gunicorn.access_log_format.startswith("%({tracker.client_ip}e)s ")
    assert "peer=%(h)s" in gunicorn.access_log_format


@pytest.mark.django_db
def test_the_client_address_reaches_the_wsgi_environ_for_the_access_log(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    response = client.get("/healthz", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert response.wsgi_request.META["tracker.client_ip"] == ATTACKER


def test_production_logs_name_the_client_address():
    from tests.ops.test_production import run_production

    code = (
        "import django, logging; django.setup(); "
        "from django.test import RequestFactory; "
        "request = RequestFactory().get('/', REMOTE_ADDR='203.0.113.66'); "
        "logging.getLogger('django.request').warning('보기', extra={'request': request})"
    )
    result = run_production(["-c", code])
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    (entry,) = [line for line in lines if line["logger"] == "django.request"]
    assert entry["client_ip"] == ATTACKER


# --- control characters: answered before any view -------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/regions/%00/", 404),
        ("/api/v1/programs/%01/", 404),
        ("/regions/?q=a%00b", 400),
        ("/api/v1/companies/?search=%00", 400),
    ],
)
def test_control_characters_are_refused_before_any_query(
    client, path, status, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        response = client.get(path)
    assert response.status_code == status


@pytest.mark.django_db
def test_api_answers_a_nul_in_a_query_parameter_with_its_field_error(client):
    response = client.get("/api/v1/companies/?search=%00&page=1")
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_characters",
        "detail": "요청에 쓸 수 없는 문자(NUL 등 제어 문자)가 있습니다.",
        "errors": {"search": ["쓸 수 없는 문자(NUL 등 제어 문자)가 있습니다."]},
    }


@pytest.mark.django_db
def test_a_nul_in_a_header_is_400_not_a_database_error(client):
    # a session cookie or a token with NUL would otherwise reach a PostgreSQL query
    response = client.get("/api/v1/regions/", HTTP_AUTHORIZATION="Token abc\x00def")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_characters"
    client.cookies["sessionid"] = "abcdefgh\x00ijk"
    page = client.get("/admin/")
    assert page.status_code == 400
    assert "쓸 수 없는 문자" in page.content.decode()


@pytest.mark.django_db
def test_tab_and_line_breaks_in_query_values_are_allowed(client):
    assert client.get("/api/v1/regions/?search=a%09b%0Ac").status_code == 200


# --- request sizes -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_body_over_the_request_limit_is_413_before_it_is_read(client, settings):
    settings.REQUEST_MAX_BYTES = 1000
    # when: the declared length is over the limit (the body is never read)
    response = client.generic(
        "POST", "/admin/login/", b"x" * 10, content_type="text/plain", CONTENT_LENGTH="5000"
    )
    api = client.generic(
        "POST", "/api/v1/companies/", b"{}", content_type="application/json", CONTENT_LENGTH="5000"
    )
    # then
    assert response.status_code == 413
    assert "요청 본문이 너무 큽니다(4.9 KB)" in response.content.decode()
    assert api.status_code == 413
    assert api.json()["code"] == "request_too_large"


@pytest.mark.django_db
def test_api_json_over_its_limit_is_413_and_changes_nothing(settings):
    from companies.models import Company
    from tests.api.conftest import all_write_perms, make_user

    settings.API_MAX_JSON_BYTES = 200
    user = make_user("json-limit", is_staff=True, perms=all_write_perms())
    client = APIClient()
    client.force_authenticate(user)
    body = {"name": "가" * 300, "business_number": f.make_business_number("123456789")}
    # when
    response = client.post("/api/v1/companies/", body, format="json")
    # then
    assert response.status_code == 413
    assert response.json() == {
        "code": "request_too_large",
        "detail": "JSON 본문이 너무 큽니다(942 바이트). 최대 200 바이트까지 받습니다.",
    }
    assert Company.objects.count() == 0


def test_json_without_a_declared_length_is_cut_at_the_limit(settings):
    import io

    from core.api.parsers import ORJSONParser, RequestTooLarge

    settings.API_MAX_JSON_BYTES = 10

    class Stream(io.BytesIO):
        reads = []

        def read(self, size=-1):
            self.reads.append(size)
            return super().read(size)

    stream = Stream(b'{"a": "' + b"x" * 10_000 + b'"}')
    with pytest.raises(RequestTooLarge):
        ORJSONParser().parse(stream, parser_context={})
    assert stream.reads == [11]  # never more than the limit + 1 byte
    assert ORJSONParser().parse(io.BytesIO(b'{"a": 1}'), parser_context={}) == {"a": 1}


# --- headers -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_permissions_policy_on_pages_api_admin_and_errors(client):
    for path in ("/", "/api/v1/regions/", reverse("admin:login"), "/no-such-page/", "/healthz"):
        response = client.get(path)
        assert "camera=()" in response["Permissions-Policy"], path
        assert "geolocation=()" in response["Permissions-Policy"], path


def test_static_files_carry_the_same_security_headers_as_pages(settings, tmp_path):
    from django.test import Client

    from config.security import DEFAULT_POLICY, build_policy

    with override_settings(
        CSP_ENABLED=True,
        WHITENOISE_USE_FINDERS=True,
        WHITENOISE_AUTOREFRESH=True,
        SECURE_CONTENT_TYPE_NOSNIFF=True,
    ):
        client = Client()
        static = client.get("/static/staff/import-progress.js")
    # then: served by WhiteNoise (no view), with the headers pages have
    assert static.status_code == 200
    assert static["Content-Security-Policy"] == build_policy(DEFAULT_POLICY)
    assert static["X-Frame-Options"] == "DENY"
    assert "camera=()" in static["Permissions-Policy"]
    assert static["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("suffix", "status"),
    [("history/%00/", 404), ("history/abc/", 404), ("history/../", 404), ("history/", 200)],
)
def test_admin_history_of_a_record_with_a_hostile_history_id(admin_client, suffix, status):
    company = f.CompanyFactory()
    response = admin_client.get(f"/admin/companies/company/{company.pk}/{suffix}")
    assert response.status_code == status


@pytest.mark.django_db
def test_admin_prefill_with_a_value_no_field_can_hold_is_400(admin_client):
    response = admin_client.get("/admin/companies/company/add/?region=%FF")
    assert response.status_code == 400
    assert "region" in response.content.decode()
    assert admin_client.get("/admin/companies/company/add/?name=%FF").status_code == 200
    assert admin_client.get("/admin/companies/company/?region__id__exact=9").status_code == 200
