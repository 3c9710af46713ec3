"""Review pages (la side; placeholder: its helper fills this in)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
