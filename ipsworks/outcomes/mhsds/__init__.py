"""The Mental Health Services Data Set (MHSDS): what IPS Works submits, in the IDB's shape.

:mod:`.idb` holds the tables, fields and formats; :mod:`.extract` builds a month's extract
for one service. docs/mhsds.md is generated from them (``manage.py mhsds_docs``).
"""
