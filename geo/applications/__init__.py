"""Applications (issue 11): pure rules of a case from draft to a legally valid decision.

Case states, the hearing per addressee, the decision clock,
the attachment checklist and the difference between two analyses. Pure rules, no I/O.
"""
