"""Platform code shared by every domain: storage backends, logging, metrics, health, process helpers."""
