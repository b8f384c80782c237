"""Check-in at the door.

models.py        append-only check-in rows (an undo is a row of its own)
scanning.py      a ticket scanned or typed, or a person found by name: check in, undo, nonces
walk_ins.py      someone not registered: registered and checked in in one step
cards.py         the people as the door sees them: the device's list, search, cards, counters
attendance.py    the attendance that stands, and the sheets and reports read from it
screen_views.py  the check-in screen and its JSON (static/js/checkin.js and js/checkin/)
staff_views.py   the staff's attendance pages and exports
"""
