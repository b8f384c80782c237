"""What the registrations domain announces or asks; domains above it (ical, admission,
programmes) answer, so that this one never imports them."""

from blinker import Namespace

_signals = Namespace()

# sender: the Registration whose mail is being written; kwargs: method ("REQUEST" or "CANCEL").
# A receiver returns the (filename, content type, bytes) of the event as a calendar invitation.
calendar_invitation = _signals.signal("calendar-invitation")

# sender: the Event someone signs up for on its own (the public form, the API). A receiver
# returns why that is refused (the event is taken only with a programme), or None.
sign_up_alone = _signals.signal("sign-up-alone")

# sender: the Registration shown on the person's self-service page (/r/<token>); kwargs: now.
# A receiver returns a dict of what its domain adds to the page (admission: the application's
# state; programmes: the person's paths; ical: their calendar address).
self_service_page = _signals.signal("self-service-page")


def self_service_extras(registration, now) -> dict:
    """What the domains above add to the self-service page, as one dict."""
    extras: dict = {}
    for _receiver, values in self_service_page.send(registration, now=now):
        extras.update(values)
    return extras
