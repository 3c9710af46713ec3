"""Form helpers every view shares: binding on POST, and putting a service's refusal on the form."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest


def errors_to_form(form: Form, exc: ValidationError) -> None:
    """A service's field errors go next to their fields; any other error goes to the summary."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def posted(request: HttpRequest, *, files: bool = False) -> dict[str, Any]:
    """Form arguments: bound on POST even when the POST is empty, so 'required' errors show."""
    if request.method != "POST":
        return {}
    return {"data": request.POST, "files": request.FILES} if files else {"data": request.POST}
