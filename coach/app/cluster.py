"""Many videos on a cluster, through Dask's distributed scheduler (``pip install .[cluster]``).

Dask rather than Ray: ``distributed`` is pure Python, so it installs on every
Python and platform the coach runs on (4.5 s and about 46 MB here), against a
79 MB compiled wheel per platform for Ray, and its local cluster starts in a
few seconds. The workers need the coach installed (the model and the specs
travel with the package) and the videos at the same path (a shared folder);
reports come back to the caller, which writes them into ``--out``.

    coach analyze /shared/clips -e bridge --out reports --cluster tcp://scheduler:8786
    coach analyze /shared/clips -e bridge --out reports --cluster local   # a cluster on this machine
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from coach.app.one_video import Outcome, analyze_one
from coach.errors import CoachError


def run_on_cluster(address: str, videos: list[Path], exercise: str, model: str | None, people: int,
                   workers: int) -> Iterator[Outcome]:
    """Each video analysed by a worker of the cluster at ``address`` ("local": ``workers`` processes
    started here for the run); outcomes as they arrive."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise CoachError("--cluster needs Dask's distributed scheduler: pip install '.[cluster]'") from None
    local = None
    try:
        if address == "local":
            local = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                 dashboard_address=None)
            client = Client(local, timeout="60s")
        else:
            client = Client(address, timeout="30s")
    except (OSError, TimeoutError) as exc:
        if local is not None:
            local.close()
        raise CoachError(f"cannot reach the cluster at {address}: {exc}") from None
    try:
        # Model paths are resolved here: a relative one would not mean the same on a worker.
        model_path = str(Path(model).resolve()) if model else None
        futures = [client.submit(analyze_one, str(Path(v).resolve()), exercise, model_path, people, pure=False)
                   for v in videos]
        for future in as_completed(futures):
            outcome = future.result()
            # Names and paths as the caller gave them, whatever the workers saw.
            index = futures.index(future)
            yield Outcome(videos[index], outcome.report, outcome.error, outcome.exit_code, outcome.files)
    finally:
        client.close()
        if local is not None:
            local.close()
