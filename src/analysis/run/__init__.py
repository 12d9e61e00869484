"""Run: the command line and the batch (planning, kernels, the pool, the manifest, up-to-date
checks and the status of a year's reports)."""
