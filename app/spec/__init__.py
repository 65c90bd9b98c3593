"""What a client asks for, and how it becomes engine objects.

requests (the request models, a session's configuration among them), build
(models → engine objects, within the configured limits), compute (the
stateless routes' work), csvdata (the user's CSV) and presets. No web
framework: sessions and the CLI use it too.
"""
