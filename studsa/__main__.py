"""Allow ``python -m studsa``."""

from studsa.cli import main

main()
