"""clearpact: managed-service agreements as code — validated, linted, explained and measured."""

__version__ = "0.1.0"
