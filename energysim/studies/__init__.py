"""Questions asked of many solves: stress cases (:mod:`.stress`), sweeps (:mod:`.sweep`, on Dask:
:mod:`.distributed`), typical days against the full year (:mod:`.aggregate`) and nightly regression
(:mod:`.regress`). Studies call :mod:`energysim.pipeline`; the pipeline calls none of them."""
