"""The routes of the insurer's API, one router per resource (its OpenAPI tag), included in
this order by ``espace.integration.app``."""
