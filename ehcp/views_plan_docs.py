"""Pages of EHC plan documents (placeholder: its helper fills this in)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
