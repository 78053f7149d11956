"""Printable documents of the hearing (PDF, ReportLab, vendored fonts): letters and the package.

The functions here are pure where they can be: data in (geometries, texts, dates), a drawing
or PDF bytes out. The services gather the data; nothing here reads the database.
"""
