"""Atomic netCDF writing and reading of results, and recovery of the inputs they carry."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import h5py
import numpy as np
import xarray as xr
from xarray.conventions import encode_cf_variable

from energysim.errors import ScenarioError
from energysim.inputs import INPUT_ATTRS, INPUT_ROLE
from energysim.scenario.paths import output_problems

NETCDF_ENGINE = "h5netcdf"

COMPLETE = "results_complete"
"""Global attribute set last, just before the rename: a file without it was cut short (see :func:`is_complete`)."""
_SET_LAST = (COMPLETE, "write_seconds")  # write_seconds was the last attribute before COMPLETE existed

_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname()) or "host"
_TEMP = re.compile(r"^\.(?P<target>.+)\.(?P<host>[A-Za-z0-9-]+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp$")
"""A writer's temporary file: ``.<file name>.<host>.<pid>.<random>.tmp`` beside the file it becomes."""


def _alive(pid: int) -> bool:
    """Whether a process of this machine with that id exists (a zombie or another user's counts as alive)."""
    if os.name == "nt":  # os.kill(pid, 0) would terminate it there: never take a process for dead
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temp_files(folder: str | Path) -> list[Path]:
    """Remove the temporary files (and folders) that writers on this machine left in ``folder`` when they died
    (``kill -9``, a crash, a power cut); returns them. A file of a living process, of this process, or of another
    machine (a shared folder) is left alone: only the process that made it can know it is abandoned."""
    removed = []
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(folder):
            match = _TEMP.match(entry.name)
            if match is None or match["host"] != _HOST:
                continue
            pid = int(match["pid"])
            if pid == os.getpid() or _alive(pid):
                continue
            with contextlib.suppress(FileNotFoundError):  # another writer may have removed it first
                if entry.is_dir(follow_symlinks=False):  # a folder being written (energysim export --format csv)
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def is_complete(path: str | Path) -> bool:
    """Whether ``path`` is a results file written to the end (it opens and carries :data:`COMPLETE`, or
    ``write_seconds`` for a file of an earlier energysim, which set that one last).

    The rename makes each write atomic, but a file can still be cut short by a crash of the machine before the
    data reached the disk, a copy that stopped, or a full shared disk; such a file must not be trusted.
    """
    try:
        with h5py.File(path, "r") as f:
            return any(key in f.attrs for key in _SET_LAST)
    except Exception:  # unreadable, truncated or not HDF5: not a complete file
        return False


class ResultsWriter:
    """One results file, written atomically, mostly while HiGHS solves.

    :meth:`start` runs in a background thread: it writes the inputs and, given a ``template`` (the results
    Dataset with any values, e.g. :func:`energysim.results.results_template`), creates every result variable
    (names, dims, attributes, compression) in the file. Called once the LP is in HiGHS this costs the run no wall
    time (HiGHS releases the GIL while it solves). :meth:`finish` then only fills in the numbers and the
    attributes, through h5py (h5netcdf's per-variable checks took 10× longer), and renames the temporary file into
    place; if the results do not match the template, it writes the file anew. Any failure removes the temporary
    file: never a partial results file. The background part writes a few variables at a time, so :meth:`abort`
    (Ctrl-C, SIGTERM) waits for one such part only. The temporary file's name carries the host and process id,
    so the next writer in the folder removes it if this process is killed before it could
    (:func:`remove_stale_temp_files`).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        problems = output_problems(self.path, "results file")  # never replace a folder or a device node
        if problems:
            raise ScenarioError(problems, subject="the output")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temp_files(self.path.parent)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{self.path.name}.{_HOST}.{os.getpid()}.", suffix=".tmp", dir=self.path.parent
        )
        os.close(fd)
        self._tmp = Path(tmp_name)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._written: dict[str, xr.Variable] = {}
        self._laid_out: dict[str, _Layout] | None = None  # set once the template's variables are in the file
        self._touched = False  # the template's variables began to go into the file
        self._results_ready = threading.Event()
        self._aborted = threading.Event()
        self.filled_in: list[str] = []
        """Variables :meth:`finish` only filled in (laid out during the solve); empty if it wrote them."""

    def start(self, inputs: xr.Dataset, template: Callable[[], xr.Dataset] | None = None) -> None:
        """Write ``inputs`` (variables and coordinates; attributes come with the results) in the background,
        then lay out the results from ``template()`` unless :meth:`finish` has been called by then."""
        part = inputs.copy()
        part.attrs = {}
        self._written = dict(part.variables)

        def write() -> None:
            try:
                if not self._write_in_parts(part, "w"):
                    return
            except BaseException as exc:  # handed to finish(), which raises it in the caller's thread
                self._error = exc
                return
            if template is not None and not self._results_ready.is_set():
                with contextlib.suppress(Exception):  # only a head start lost: finish() writes what is missing
                    self._lay_out(template())

        self._thread = threading.Thread(target=write, name="energysim-write-inputs", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        """Block until the background part is done (tests and benchmarks; :meth:`finish` waits by itself)."""
        if self._thread is not None:
            self._thread.join()

    def _lay_out(self, template: xr.Dataset) -> None:
        """Create the template's variables that are not inputs already written."""
        if self._results_ready.is_set():
            return
        new = template.drop_vars(self._done(template))
        new.attrs = {}
        self._touched = True
        if self._write_in_parts(new, "a"):
            self._laid_out = {name: _Layout.of(name, var) for name, var in new.variables.items()}

    def _write_in_parts(self, ds: xr.Dataset, mode: str) -> bool:
        """Write ``ds`` (no attributes) a few data variables at a time, checking between parts whether
        :meth:`abort` was called; False if it was. All coordinates go with the first part."""
        names = list(ds.data_vars)
        in_file: set[str] = set()
        for start in range(0, max(len(names), 1), _PART_VARIABLES):
            if self._aborted.is_set():
                return False
            part = ds[names[start : start + _PART_VARIABLES]]
            part = part.drop_vars([n for n in part.variables if n in in_file])
            if start == 0:  # coordinates of no data variable, and the file's dimensions
                part = part.merge(ds.coords.to_dataset().drop_vars(list(part.coords)))
            part.to_netcdf(self._tmp, mode=mode if start == 0 else "a", engine=NETCDF_ENGINE, encoding=_encoding(part))
            in_file.update(part.variables)
        return True

    def _done(self, ds: xr.Dataset) -> list[str]:
        """Variables of ``ds`` that :meth:`start` wrote (the same input arrays)."""
        return [n for n, v in self._written.items() if n in ds.variables and _same(ds.variables[n], v)]

    def finish(self, ds: xr.Dataset) -> Path:
        """Write what :meth:`start` did not, then rename into place. ``write_seconds`` (attribute) is the time
        spent here, after the results were ready; :data:`COMPLETE` is set last and the file is flushed to disk
        before the rename."""
        t0 = time.perf_counter()
        self._results_ready.set()
        try:
            mode = "w"
            if self._thread is not None:
                self._thread.join()
                if self._error is not None:
                    raise self._error
                mode = "a"
            rest = ds.drop_vars(self._done(ds))
            laid_out = self._laid_out is not None and _fits(rest, self._laid_out)
            if not laid_out and self._touched:  # laid out (or half), but not as these results need: write anew
                mode, rest = "w", ds.copy(deep=False)
            rest.attrs = {k: v for k, v in ds.attrs.items() if k not in _SET_LAST}  # e.g. results read back
            if not laid_out:
                rest.to_netcdf(self._tmp, mode=mode, engine=NETCDF_ENGINE, encoding=_encoding(rest))
            with h5py.File(self._tmp, "r+") as f:
                if laid_out:
                    self.filled_in = _fill(f, rest, self._laid_out)  # type: ignore[arg-type]
                _set_attr(f, "write_seconds", time.perf_counter() - t0)
                _set_attr(f, COMPLETE, 1)
            _flush_to_disk(self._tmp)
            umask = os.umask(0)
            os.umask(umask)
            self._tmp.chmod(0o666 & ~umask)  # mkstemp creates 0600; give the file ordinary permissions
            os.replace(self._tmp, self.path)
        except BaseException:
            self.abort()
            raise
        return self.path

    def abort(self) -> None:
        """Stop: wait for the background part to finish the variables it is writing, and remove the temporary
        file."""
        self._aborted.set()
        self._results_ready.set()
        if self._thread is not None:
            self._thread.join()
        with contextlib.suppress(FileNotFoundError):
            self._tmp.unlink()


_PART_VARIABLES = 8
"""Data variables per write of the background part: :meth:`ResultsWriter.abort` waits at most for one such write
(the full-year plan's 69 input variables took 3.7 s in one write, in 9 parts as long, on a busy 2-core machine)."""


class _Layout(NamedTuple):
    """What the file holds of a variable laid out before its values were known."""

    dims: tuple[str, ...]
    shape: tuple[int, ...]
    dtype: np.dtype
    attrs: dict[str, object]
    values: np.ndarray | None
    """The values themselves where they cannot be filled in (dimension coordinates, non-numbers)."""

    @classmethod
    def of(cls, name: str, var: xr.Variable) -> _Layout:
        fixed = name in var.dims or var.dtype.kind not in "fiub"
        return cls(var.dims, var.shape, var.dtype, dict(var.attrs), var.values if fixed else None)

    def fits(self, name: str, var: xr.Variable) -> bool:
        """Same dims, shape, dtype and attributes (and the same values, where those were written)."""
        same = (var.dims, var.shape, var.dtype) == (self.dims, self.shape, self.dtype) and var.attrs == self.attrs
        return same and (self.values is None or np.array_equal(var.values, self.values))


def _fits(ds: xr.Dataset, laid_out: dict[str, _Layout]) -> bool:
    """Whether the file's laid-out variables are exactly the variables ``ds`` still needs."""
    return set(ds.variables) == set(laid_out) and all(laid_out[n].fits(n, v) for n, v in ds.variables.items())


def _fill(f: h5py.File, ds: xr.Dataset, laid_out: dict[str, _Layout]) -> list[str]:
    """Write the values (encoded as ``to_netcdf`` would) and the global attributes into the laid-out file."""
    filled = [name for name, layout in laid_out.items() if layout.values is None]
    for name in filled:
        f[name][...] = encode_cf_variable(ds.variables[name], name=name).values
    for key, value in ds.attrs.items():
        _set_attr(f, key, value)
    return filled


def _set_attr(f: h5py.File, key: str, value: object) -> None:
    """A global attribute as h5netcdf writes it in a netCDF4 file: numbers as 1-element arrays (as netCDF-C
    does), strings as they are."""
    if np.isscalar(value) and np.asarray(value).dtype.kind not in "SU":
        value = np.atleast_1d(value)
    f.attrs[key] = value


def _flush_to_disk(path: Path) -> None:
    """fsync: the data is on disk before the rename makes it the results file (else a crash of the machine can
    leave a renamed but empty or cut file)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _same(a: xr.Variable, b: xr.Variable) -> bool:
    """Whether a results variable is the input variable already written (the same array, or equal)."""
    return a.dims == b.dims and (a.data is b.data or a.identical(b))


def write_results(ds: xr.Dataset, path: str | Path) -> Path:
    """Write atomically: to a temporary file beside ``path``, then rename; never leaves a partial file.

    The write time (s) is stored in the file's ``write_seconds`` attribute.
    """
    return ResultsWriter(path).finish(ds)


def _encoding(ds: xr.Dataset) -> dict[str, dict[str, object]]:
    """Compress the hourly arrays (they are mostly zeros). gzip level 1: on the seven-district full year it
    writes in 0.83 s against 1.33 s at level 4, for a file of 6.9 MB instead of 5.8 MB (benchmarks/README.md)."""
    return {
        name: {"compression": "gzip", "compression_opts": 1}
        for name, var in ds.data_vars.items()
        if var.ndim >= 2 and var.dtype.kind == "f"
    }


def read_results(path: str | Path) -> xr.Dataset:
    """Open a results file fully into memory (the file is closed on return)."""
    with xr.open_dataset(path, engine=NETCDF_ENGINE) as ds:
        return ds.load()


def inputs_from_results(ds: xr.Dataset) -> xr.Dataset:
    """The input Dataset embedded in a results Dataset, ready for :func:`energysim.build_model`."""
    names = [n for n, v in ds.data_vars.items() if v.attrs.get("role") == INPUT_ROLE]
    inputs = ds[names]
    inputs.attrs = {k: ds.attrs[k] for k in INPUT_ATTRS if k in ds.attrs}
    return inputs
