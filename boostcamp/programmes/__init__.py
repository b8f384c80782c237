"""Programmes: a named path of events (a Boostcamp, workshops, the certification exam) that
people sign up for once, with their progress along it; and series of editions of an event.

services.py     the programme, its events and organisers; one sign-up (all or nothing);
                leaving; progress
questions.py    the events' own questions, asked on the programme's form
alone.py        events kept for the programme's sign-up (no sign-up alone)
waiting.py      the programme's waiting list moving on its own (jobs.py: the worker's job)
exam.py         the exam's result, when the certificate rule asks for it
certificates.py the programme's certificate
series.py       editions of an event; editions.py: of a whole programme
texts.py        title, summary and description per language (core.texts)

Admission by application is not combined with programmes: an event that takes applications
cannot be put in a programme (a field error), and a programme whose event turned to
applications later takes no sign-up (a clear closed page). One sign-up gives a seat at each
event at once; an application waits for a decision per event, so "all or nothing" would
need a programme-wide review this round did not build."""
