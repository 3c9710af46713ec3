"""The only pages without a login (mounted at /schools/): a school's published SEN Information
Report at a stable address, by the school's URN (CoP 6.79: schools must publish it)."""

from .views_public import urlpatterns

app_name = "public"

__all__ = ["app_name", "urlpatterns"]
