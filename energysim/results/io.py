"""Atomic netCDF writing and reading of results, and recovery of the inputs they carry."""

from __future__ import annotations

import contextlib
import os
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


class ResultsWriter:
    """One results file, written atomically, mostly while HiGHS solves.

    :meth:`start` runs in a background thread: it writes the inputs and, given a ``template`` (the results
    Dataset with any values, e.g. :func:`energysim.results.results_template`), creates every result variable
    (names, dims, attributes, compression) in the file. Called once the LP is in HiGHS this costs the run no wall
    time (HiGHS releases the GIL while it solves). :meth:`finish` then only fills in the numbers and the
    attributes, through h5py (h5netcdf's per-variable checks took 10× longer), and renames the temporary file into
    place; if the results do not match the template, it writes the file anew. Any failure removes the temporary
    file: never a partial results file.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        problems = output_problems(self.path, "results file")  # never replace a folder or a device node
        if problems:
            raise ScenarioError(problems, subject="the output")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        os.close(fd)
        self._tmp = Path(tmp_name)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._written: dict[str, xr.Variable] = {}
        self._laid_out: dict[str, _Layout] | None = None  # set once the template's variables are in the file
        self._touched = False  # the template's variables began to go into the file
        self._results_ready = threading.Event()
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
                part.to_netcdf(self._tmp, engine=NETCDF_ENGINE, encoding=_encoding(part))
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
        new.to_netcdf(self._tmp, mode="a", engine=NETCDF_ENGINE, encoding=_encoding(new))
        self._laid_out = {name: _Layout.of(name, var) for name, var in new.variables.items()}

    def _done(self, ds: xr.Dataset) -> list[str]:
        """Variables of ``ds`` that :meth:`start` wrote (the same input arrays)."""
        return [n for n, v in self._written.items() if n in ds.variables and _same(ds.variables[n], v)]

    def finish(self, ds: xr.Dataset) -> Path:
        """Write what :meth:`start` did not, then rename into place. ``write_seconds`` (attribute) is the time
        spent here, after the results were ready."""
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
            if not laid_out:
                if self._touched:  # laid out (or half), but not as these results need: write anew
                    mode, rest = "w", ds
                rest.to_netcdf(self._tmp, mode=mode, engine=NETCDF_ENGINE, encoding=_encoding(rest))
            with h5py.File(self._tmp, "r+") as f:
                if laid_out:
                    self.filled_in = _fill(f, rest, self._laid_out)  # type: ignore[arg-type]
                _set_attr(f, "write_seconds", time.perf_counter() - t0)
            umask = os.umask(0)
            os.umask(umask)
            self._tmp.chmod(0o666 & ~umask)  # mkstemp creates 0600; give the file ordinary permissions
            os.replace(self._tmp, self.path)
        except BaseException:
            self.abort()
            raise
        return self.path

    def abort(self) -> None:
        """Stop: wait for the background part and remove the temporary file."""
        self._results_ready.set()
        if self._thread is not None:
            self._thread.join()
        with contextlib.suppress(FileNotFoundError):
            self._tmp.unlink()


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
