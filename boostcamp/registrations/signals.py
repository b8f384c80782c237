"""What the registrations domain announces or asks; domains above it (ical) answer, so that
this one never imports them."""

from blinker import Namespace

_signals = Namespace()

# sender: the Registration whose mail is being written; kwargs: method ("REQUEST" or "CANCEL").
# A receiver returns the (filename, content type, bytes) of the event as a calendar invitation.
calendar_invitation = _signals.signal("calendar-invitation")

# sender: the Event someone signs up for on its own (the public form, the API). A receiver
# returns why that is refused (the event is taken only with a programme), or None.
sign_up_alone = _signals.signal("sign-up-alone")
