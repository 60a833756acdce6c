"""The case record: teams, practitioners, cases, append-only entries, flags, audit log.

Entry points: `casestore.db` (make_engine, make_session_factory, migrate),
`casestore.service.CaseService`, `casestore.identity` (authenticate, resolve),
`casestore.pii.screen`, `casestore.refs`, `casestore.errors`, `casestore.cli.case_admin`.
"""
