"""URLs of the compliance dashboards (mounted at /dashboard/): the school's, for governors, the
headteacher and senior leaders, with drill-down and the termly report to governors; the LA's, with
the SEN2 export."""

from .views_la import urlpatterns as la_urls
from .views_school import urlpatterns as school_urls

app_name = "dashboards"

urlpatterns = [*school_urls, *la_urls]
