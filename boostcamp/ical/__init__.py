"""Calendars: .ics downloads, subscription feeds and (later) mail attachments, all written
by one builder."""
