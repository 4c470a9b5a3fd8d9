"""Subjects (追溯主体): filing and its review, nodes, operators, qualifications, master data.

``service`` holds the workflow and queries, ``schemas`` what comes in, ``rules`` the statuses,
deadlines and vocabularies, ``audit`` the one helper writing the audit trail, ``identity`` the
protection of ID-card numbers and region names, ``master_data`` the EPCIS view of filed subjects.
"""
