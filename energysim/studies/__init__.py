"""Questions asked of many solves: stress cases (:mod:`.stress`), sweeps (:mod:`.sweep`), typical days against
the full year (:mod:`.aggregate`), nightly regression (:mod:`.regress`), probabilistic adequacy
(:mod:`.adequacy`, sampling :mod:`.adequacy_system` with :mod:`.outage_sampling` and :mod:`.sequential`) and verdict
robustness (:mod:`.robustness`); any of them on Dask workers that share nothing with the client
(:mod:`.distributed`). Studies call :mod:`energysim.pipeline`; the pipeline calls none of them."""
