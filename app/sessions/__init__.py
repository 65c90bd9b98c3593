"""Sessions: the domain (session, create) and where sessions live (store, store_redis,
codec), with publishing to a live class's followers. No web framework here."""
