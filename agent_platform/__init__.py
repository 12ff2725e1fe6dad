import os

# One BLAS thread per process (unless the environment says otherwise): the platform runs several
# processes (worker pool, web server), and the local embedding model's numpy calls with a thread
# per core each oversubscribed the CPUs under load (a query embedding took 10-40 ms instead of
# 4 ms). Must be set before numpy is first imported.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

# Load the Celery app with Django so that shared tasks bind to it.
from agent_platform.celery import app as celery_app  # noqa: E402

__all__ = ["celery_app"]
