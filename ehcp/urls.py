"""URLs of EHC needs assessments, advice and plans (mounted at /ehcp/). Each page module lists its
own routes: cases (the LA's side), advice (the school's side), plans, and plan documents
(PDF, comparison of versions, delivery against section F)."""

from .views_advice import urlpatterns as advice_urls
from .views_cases import urlpatterns as case_urls
from .views_plan_docs import urlpatterns as plan_doc_urls
from .views_plans import urlpatterns as plan_urls

app_name = "ehcp"

urlpatterns = [*case_urls, *advice_urls, *plan_urls, *plan_doc_urls]
