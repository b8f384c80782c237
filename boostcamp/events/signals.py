"""What the events domain announces; domains above it (registrations) react, so that this
one never imports them (blinker, as Flask and Indico use it)."""

from blinker import Namespace

_signals = Namespace()

# sender: the Event; kwargs: moved (time or place changed), capacity_changed. Sent after the
# change is flushed, inside the same transaction: what receivers write commits with it.
event_updated = _signals.signal("event-updated")
# sender: the Event, just cancelled (flushed, same transaction).
event_cancelled = _signals.signal("event-cancelled")
