"""Typer's value coercion, built only for the values that need it.

Typer (0.26 and later) converts every command-line value through a pydantic
``TypeAdapter`` that it builds, per parameter, the first time the parameter is processed,
including parameters the user did not give. Building one costs a few milliseconds and the
first one imports ``typer._adapters`` and part of pydantic: together about a third of
``studsa status``'s start-up over the bare ``import typer``.

``install()`` puts a lazy stand-in in front of that step: a parameter left at its default
(``None``) or a plain ``str`` option given as text needs no conversion, exactly as Typer's
own code returns them unchanged; every other value goes to Typer's adapter, built on first
use. Where Typer's internals are not the ones this was written for, nothing is changed.
"""

from __future__ import annotations

from typing import Any

_installed: list[bool] = []


class LazyRuntimeParam:
    """Typer's ``RuntimeParam`` for one parameter, built the first time a value needs it."""

    __slots__ = ("_build", "_descriptor", "_real")

    def __init__(self, build: Any, descriptor: Any) -> None:
        self._build = build
        self._descriptor = descriptor
        self._real: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        """Return ``value`` converted for the command, as Typer's own ``coerce`` does."""
        multiple = param.multiple or param.nargs == -1
        if value is None:  # Typer's RuntimeParam.coerce, before it asks its adapter
            return () if multiple else None
        descriptor = self._descriptor
        if (not multiple and type(value) is str and descriptor.annotation is str
                and descriptor.parameter_info.parser is None):
            return value  # a str adapter returns a str unchanged
        if self._real is None:
            self._real = self._build(descriptor)
        return self._real.coerce(value, param=param, ctx=ctx)

    def __getattr__(self, name: str) -> Any:  # anything else: Typer's own object
        if name in LazyRuntimeParam.__slots__:
            raise AttributeError(name)
        if self._real is None:
            self._real = self._build(self._descriptor)
        return getattr(self._real, name)


def install() -> bool:
    """Make Typer build a parameter's converter only when a value needs one.

    Returns whether the stand-in is in place (False when Typer's internals differ from
    the ones it was written for: then Typer runs unchanged).
    """
    if _installed:
        return _installed[0]
    try:
        from typer import _coercion, core
    except ImportError:
        _installed.append(False)
        return False
    build = getattr(core, "build_runtime_param", None)
    parameter = getattr(core, "_TyperParameter", None)
    usable = (
        build is not None
        and build is getattr(_coercion, "build_runtime_param", None)
        and hasattr(_coercion, "RuntimeParam")
        and parameter is not None
        and hasattr(parameter, "get_runtime_param")
    )
    if usable:
        def lazy(descriptor: Any) -> Any:
            return LazyRuntimeParam(build, descriptor)

        core.build_runtime_param = lazy
    _installed.append(usable)
    return usable
