"""studsa: systematic, challenge-driven strategic work (STUDSA) for municipal committees."""

__version__ = "0.1.0"
