"""Complaint analytics (민원 분석): import, topic matching, sub-issue ranking, routing and reports.

Entry points for other features: guai.complaints.service (rank_topic, answer_request, TOOL_SPEC,
run_tool) and guai.complaints.intent (parse_request). Importing this package does no I/O.
"""
