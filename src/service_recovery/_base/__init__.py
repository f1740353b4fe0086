"""Plain checks and instants every layer uses.

One way to check an argument, aware times compared exactly across daylight-saving changes,
the default vocabularies, and reasons.
"""
