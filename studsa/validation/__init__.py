"""Validation of a project: every file against its schema, every cross-reference.

Each module here checks one area over documents and data it is given (``workflow.validate``
loads the files and computes what the checks need). Content problems become findings,
never exceptions.
"""

from studsa.validation.findings import Finding, Findings, Severity

__all__ = ["Finding", "Findings", "Severity"]
