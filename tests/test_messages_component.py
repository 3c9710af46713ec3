"""templates/components/messages.html: a success message gets the green "Success" banner, any other
message (information, a warning, a refusal) the neutral "Important" one, never "Success"."""

from __future__ import annotations

from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string


def _render(*messages: Message) -> str:
    return render_to_string("components/messages.html", {"messages": list(messages)})


def test_success_gets_the_success_banner() -> None:
    html = _render(Message(constants.SUCCESS, "Decision recorded"))
    assert "govuk-notification-banner--success" in html
    assert 'role="alert"' in html
    assert ">Success</h2>" in html
    assert "Decision recorded" in html


def test_other_levels_get_the_important_banner() -> None:
    for level in (constants.INFO, constants.WARNING, constants.ERROR):
        html = _render(Message(level, "The qualification is not one that counts"))
        assert "govuk-notification-banner--success" not in html
        assert ">Success</h2>" not in html
        assert ">Important</h2>" in html
        assert 'role="region"' in html
        assert "The qualification is not one that counts" in html


def test_each_message_has_its_own_labelled_banner() -> None:
    html = _render(Message(constants.SUCCESS, "Saved"), Message(constants.INFO, "Note this"))
    assert 'id="notification-title-1"' in html
    assert 'id="notification-title-2"' in html
    assert html.count('aria-labelledby="notification-title-') == 2
