"""Command-line values converted without pydantic, for the plain types msme-qa's options use.

Typer (0.2x) converts every parameter value, even an option left at its default, through a pydantic
TypeAdapter; the first one imports pydantic and builds its schema machinery: about 0.1 s, a third of
`msme-qa list`. :class:`LeanGroup` gives each parameter of a plain type (str, int, Path, list[str])
a converter that returns exactly what Typer's would for ordinary values. Anything else (a value out of
range, an unusual path, bytes) is handed to Typer's own converter, so messages and edge cases stay
Typer's. tests/test_imports.py checks both converters agree.

Typer without this machinery (other versions) is left alone: the group then behaves as TyperGroup.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.core import TyperGroup

_MISSING = object()
_PLAIN_INT = re.compile(r"(?:0|[1-9][0-9]*)\Z")  # ASCII digits, no sign, no leading zero, no whitespace


class LeanGroup(TyperGroup):
    """TyperGroup whose commands convert plain values without pydantic (see the module docstring)."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for command in [self, *self.commands.values()]:
            for param in command.params:
                install(param)
            if command is not self:
                command.get_help_option = _lean_help(command.get_help_option)  # type: ignore[method-assign,assignment]

    def get_help_option(self, ctx: Any) -> Any:
        return _lean_help(super().get_help_option)(ctx)


def _lean_help(get_help_option: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``--help`` is created on first use and its unset value (None) is converted too: make it lean."""

    def lean(ctx: Any) -> Any:
        option = get_help_option(ctx)
        if option is not None:
            install(option)
        return option

    return lean


def install(param: Any) -> None:
    """Give ``param`` a lean converter if this Typer has the hook and the parameter's type is plain."""
    if getattr(param, "_runtime_param", _MISSING) is not None or not hasattr(param, "type_descriptor"):
        return
    convert = converter_for(param)
    if convert is not None:
        param._runtime_param = LeanRuntimeParam(param, convert)


def converter_for(param: Any) -> Callable[[Any], Any] | None:
    """A function value -> converted value (or _MISSING to defer to Typer), or None if not plain."""
    descriptor = param.type_descriptor
    info = descriptor.parameter_info
    if getattr(info, "parser", None) is not None or descriptor.is_file or descriptor.is_choice:
        return None
    annotation = descriptor.annotation
    multi = param.multiple or param.nargs == -1
    if multi:
        return _str_list if annotation == list[str] else None
    if annotation is bool:
        return _bool
    if annotation is str:
        return _str
    if annotation is int and not getattr(info, "clamp", False):
        return _int_within(info.min, info.max)
    if annotation is Path and _plain_path(info):
        return lambda value: _path(value, info)
    return None


class LeanRuntimeParam:
    """Typer's RuntimeParam contract (``coerce``) for a plain value, deferring to Typer otherwise."""

    def __init__(self, param: Any, convert: Callable[[Any], Any]) -> None:
        self.param = param
        self.convert = convert
        self._typer: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:  # as Typer: a missing value stays missing
            return () if param.multiple or param.nargs == -1 else None
        converted = self.convert(value)
        if converted is not _MISSING:
            return converted
        return self.typer().coerce(value, param=param, ctx=ctx)

    def typer(self) -> Any:
        """Typer's own converter for this parameter (imports pydantic): for values the fast path declines."""
        if self._typer is None:
            from typer._coercion import build_runtime_param

            self._typer = build_runtime_param(self.param.type_descriptor)
        return self._typer


def _bool(value: Any) -> Any:
    return value if type(value) is bool else _MISSING


def _str(value: Any) -> Any:
    return value if type(value) is str else _MISSING


def _str_list(value: Any) -> Any:
    if isinstance(value, list | tuple) and all(type(v) is str for v in value):
        return list(value)
    return _MISSING


def _int_within(low: float | None, high: float | None) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if type(value) is str and _PLAIN_INT.match(value):
            number = int(value)
        elif type(value) is int:
            number = value
        else:
            return _MISSING
        if (low is not None and number < low) or (high is not None and number > high):
            return _MISSING  # Typer says what the range is
        return number

    return convert


def _plain_path(info: Any) -> bool:
    """Path options without checks of their own beyond Typer's defaults."""
    return (
        getattr(info, "path_type", None) is None
        and not getattr(info, "resolve_path", False)
        and not getattr(info, "exists", False)
        and not getattr(info, "allow_dash", False)
        and getattr(info, "file_okay", True)
        and getattr(info, "dir_okay", True)
    )


def _path(value: Any, info: Any) -> Any:
    """Path(value), with the readable/writable checks Typer makes on a path that exists."""
    if type(value) is not str or not value or "\x00" in value:
        return _MISSING
    try:
        mode = os.stat(value).st_mode
    except OSError:
        return Path(value)  # a path that does not exist yet: fine unless `exists` (excluded above)
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return _MISSING
    if getattr(info, "readable", True) and not os.access(value, os.R_OK):
        return _MISSING
    if getattr(info, "writable", False) and not os.access(value, os.W_OK):
        return _MISSING
    return Path(value)
