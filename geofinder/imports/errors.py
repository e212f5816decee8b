class SourceError(Exception):
    """A source file that cannot be imported at all: missing, malformed, or missing a column.

    The message names the file and what is wrong; commands turn it into a CommandError.
    """
