"""Programmes: a named path of events (a Boostcamp, workshops, the certification exam) that
people sign up for once, with their progress along it; and series of editions of an event."""
