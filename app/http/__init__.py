"""HTTP: the one error shape and the mapping of domain errors to statuses, middlewares,
dependencies, OpenAPI helpers and the answers routes share."""
