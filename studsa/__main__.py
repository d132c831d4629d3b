"""The console-script entry point (and ``python -m studsa``): answers ``--version`` without
importing the CLI, and hands everything else to the Typer application."""

from __future__ import annotations

import sys


def main() -> None:
    """Run studsa; ``studsa --version`` answers at once, without Typer or rich."""
    if sys.argv[1:] == ["--version"]:
        from studsa import __version__

        sys.stdout.write(f"studsa {__version__}\n")
        return
    from studsa.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
