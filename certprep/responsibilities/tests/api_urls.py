"""A URL configuration for the API tests: the site plus an API that mounts the responsibilities router
exactly as certprep/api.py will (under /engagements), with the same token auth and error handlers."""

from __future__ import annotations

from django.urls import include, path
from ninja import NinjaAPI

from certprep.api import BearerToken
from certprep.api import api as site_api
from certprep.responsibilities.api import router

test_api = NinjaAPI(title="responsibilities test", version="test", urls_namespace="raci-test-api", auth=BearerToken())
test_api._exception_handlers.update(site_api._exception_handlers)
test_api.add_router("/engagements", router)

urlpatterns = [path("api/v1/", test_api.urls), path("", include("config.urls"))]
