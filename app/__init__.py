"""Backprop Lens's web app: the engine behind an HTTP API and the pages.

Packages by concern, each importing only those listed before it (a test checks
the order, and that the import graph has no cycle):

    errors, settings, work   domain errors, settings, low-priority work threads
    spec                     what clients ask for → engine objects
    classroom                live classes: codes, events, class stores
    sessions                 sessions: the domain, their stores and codec
    wire                     engine objects and sessions → JSON; response models
    http                     error mapping, middlewares, dependencies, shared answers
    routers                  one router per resource (none imports another)
    main, cli                the app factory and the command line
"""
