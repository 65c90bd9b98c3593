"""Live classes: join codes, numbered events and their fan-out, and where classes live
(in memory, or in Redis for several processes). No web framework here."""
