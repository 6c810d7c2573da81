from rest_framework.routers import DefaultRouter

from articles.api.views import ArticleViewSet, RightsHolderViewSet, SourceViewSet

router = DefaultRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("sources", SourceViewSet, basename="source")
router.register("rights-holders", RightsHolderViewSet, basename="rights-holder")

urlpatterns = router.urls
