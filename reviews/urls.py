"""URLs of reviews of EHC plans (mounted at /reviews/). Each page module lists its own routes: the
school's side (convening, the meeting, the report) and the LA's (the decision, the documents)."""

from .views_la import urlpatterns as la_urls
from .views_school import urlpatterns as school_urls

app_name = "reviews"

urlpatterns = [*school_urls, *la_urls]
