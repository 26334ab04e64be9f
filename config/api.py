"""The one API router: every app's viewsets are registered here, under /api/v1/."""

from rest_framework.routers import APIRootView, DefaultRouter

from companies.api.views import CompanyViewSet
from core.api.permissions import ReadPublicWriteWithModelPerms
from core.api.renderers import ORJSONRenderer
from core.api.views import OrganizationViewSet, PersonViewSet, RegionViewSet, SourceViewSet
from events.api.views import AwardViewSet, EventViewSet
from indicators.api.views import ObservationViewSet, StatisticSeriesViewSet
from intake.api.views import IntakeViewSet
from programs.api.views import ParticipationViewSet, ProgramViewSet
from results.api.views import FollowUpViewSet, ResultTargetViewSet, ResultUpdateViewSet
from webhooks.api.views import ChangeViewSet


class ApiRootView(APIRootView):
    """The resources of API v1."""

    renderer_classes = [ORJSONRenderer]
    permission_classes = [ReadPublicWriteWithModelPerms]
    schema = None


class Router(DefaultRouter):
    APIRootView = ApiRootView
    include_format_suffixes = False

    def get_method_map(self, viewset, method_map):
        """Actions a viewset switches off (``retrieve = None``: the changes feed) get no route."""
        mapping = super().get_method_map(viewset, method_map)
        return {m: a for m, a in mapping.items() if getattr(viewset, a, None) is not None}


router = Router()
router.register("regions", RegionViewSet, basename="region")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("sources", SourceViewSet, basename="source")
router.register("people", PersonViewSet, basename="person")
router.register("companies", CompanyViewSet, basename="company")
router.register("programs", ProgramViewSet, basename="program")
router.register("participations", ParticipationViewSet, basename="participation")
router.register("events", EventViewSet, basename="event")
router.register("awards", AwardViewSet, basename="award")
router.register("statistics", ObservationViewSet, basename="statistic")
router.register("statistic-series", StatisticSeriesViewSet, basename="statistic-series")
router.register("targets", ResultTargetViewSet, basename="result-target")
router.register("result-updates", ResultUpdateViewSet, basename="result-update")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")
router.register("changes", ChangeViewSet, basename="change")
router.register("intake", IntakeViewSet, basename="intake")
