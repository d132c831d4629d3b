"""The console-script entry point (and ``python -m studsa``): answers ``--version`` at once."""

from __future__ import annotations

import sys


def main() -> None:
    """Run studsa; ``studsa --version`` is answered without loading the CLI."""
    if sys.argv[1:] == ["--version"]:
        from studsa import __version__

        sys.stdout.write(f"studsa {__version__}\n")
        return
    from studsa.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
