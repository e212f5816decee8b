"""ProcessValue: a value read once, then again when too old, when asked fresh or forgotten."""

from geofinder.core import process_cache
from geofinder.core.process_cache import ProcessValue


def test_read_once_within_its_ttl_then_again(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(process_cache.time, "monotonic", lambda: clock[0])
    reads = []
    value = ProcessValue(lambda: reads.append(clock[0]) or len(reads), ttl_s=10)
    assert [value.get(), value.get()] == [1, 1]
    clock[0] = 110.0
    assert value.get() == 1  # exactly the ttl old: still kept
    clock[0] = 110.5
    assert value.get() == 2
    assert value.get(fresh=True) == 3
    value.forget()
    assert value.get() == 4 and reads == [100.0, 110.5, 110.5, 110.5]
