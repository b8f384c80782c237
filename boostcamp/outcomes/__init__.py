"""Outcomes: what came out of the events, and which events get the credit.

records/       start-ups (founders, team, jobs counts) and certifications: models, services, pages
impact/        the attribution rule, the figures and the lists behind them, targets, dashboard
surveys/       follow-up surveys: sent by jobs.py, answered by participants, reviewed by staff
imports/       CSV/XLSX imports of the records, and the exports of every table
certificates/  attendance certificates: earned or not, the PDF, the public check of a code
jobs.py        the worker's periodic job (the surveys that are due)
blueprints.py  the three blueprints; their routes live beside what they show
"""
