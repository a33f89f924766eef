"""Every API operation answers as its OpenAPI schema says, for an anonymous caller and for
platform staff: schemathesis generates requests from the schema (valid and invalid ones) and
checks status codes, content types and bodies against it. Bounded examples keep it fast."""

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import positive_data_acceptance

from conftest import area, municipality
from yhdyspinta.surveys.tests.conftest import invite, make_survey, make_wave
from yhdyspinta.wsgi import application

pytestmark = pytest.mark.django_db


# Read from the running app, as a client would (generating it needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """The app is called as a WSGI application, which closes the database connection at the
    end of each request (and with it the test's transaction); Django's own test client turns
    that off in the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def data(platform_admin):
    """Something for each operation to find: a wave with an answer, people in an area."""
    wave = make_wave(make_survey())
    invite(wave, municipality("837"), email="vastaaja@example.org")
    area("08")
    return {"staff": Token.objects.create(user=platform_admin).key}


# Every check but one: "a request the schema allows is accepted". A value of the right form can
# still name nothing (an area code no area has, a wave that is not there), which is answered
# with the documented 400 or 404 naming the field.
EXCLUDED = [positive_data_acceptance]

SETTINGS = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@SETTINGS
def test_anonymous_caller(case, data):
    cache.clear()  # the throttle counts: each example is a caller of its own
    case.call_and_validate(excluded_checks=EXCLUDED)


@schema.parametrize()
@SETTINGS
def test_platform_staff(case, data):
    cache.clear()
    case.call_and_validate(
        headers={"Authorization": f"Token {data['staff']}"}, excluded_checks=EXCLUDED
    )
