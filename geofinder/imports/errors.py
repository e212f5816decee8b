class SourceError(Exception):
    """A source file that cannot be imported at all: missing, malformed, or missing a column.

    The message names the file and what is wrong; commands turn it into a CommandError.
    """


class ImportRunning(Exception):
    """Another import of the same source holds its lock, and this one was told not to wait."""


class ReportMismatch(Exception):
    """An import report whose rows do not add up: created + updated + unchanged + merged +
    rejected differs from the rows read. A bug of the importer: the import is refused."""
