"""URLs of the school's SEN offer (mounted at /offer/). Each page module lists its own routes: the
SEN Information Report's versions and approvals, and the governance record with the SENCO
designation. The public page of the published report is in urls_public (mounted at /schools/)."""

from .views_governance import urlpatterns as governance_urls
from .views_report import urlpatterns as report_urls

app_name = "offer"

urlpatterns = [*report_urls, *governance_urls]
