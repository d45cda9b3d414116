"""Service reports: the monthly report and the quarterly business review, as HTML and PDF, with
every number traceable to the clocks behind it (``evidence.csv``).

An adapter package: it reads a store (:mod:`clearpact.report.data`) and writes files
(:mod:`clearpact.report.render`).
"""
