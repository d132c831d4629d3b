"""The workshop: raters rate from their phones, studsa keeps the record.

``session`` holds a session's state and rules (seats, rounds, ballots) and writes every
ballot through storage; ``reveal`` turns a closed round into the distribution per cell, the
disputed cells and the ranking; ``app`` (Starlette, the optional ``workshop`` extra) serves
the pages. Only ``studsa workshop`` imports this package.
"""
