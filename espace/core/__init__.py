"""Platform code shared by every domain: the job queue, storage backends, logging, metrics, health,
process helpers."""
