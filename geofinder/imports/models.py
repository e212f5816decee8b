"""What the set-up has loaded, so that a second `make setup` skips unchanged sources."""

from django.db import models


class SourceLoad(models.Model):
    """The last successful run of one load step, with the signature of the files it read."""

    step = models.CharField(max_length=60, unique=True)
    signature = models.CharField(max_length=32, help_text="MD5 of the input files' paths, sizes and mtimes")
    loaded_at = models.DateTimeField(auto_now=True)
    summary = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.step
