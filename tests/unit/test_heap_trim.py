"""The C heap is trimmed now and then, not on every batch."""

import ctypes

from ledger.stream import heap


def test_trims_once_per_interval():
    calls = []
    trimmer = heap.HeapTrimmer(every_s=3600, trim=calls.append)
    trimmer.now_and_then()
    assert calls == []  # not yet: the interval starts when the trimmer is made
    trimmer._last -= 3600  # noqa: SLF001 - an hour later
    trimmer.now_and_then()
    trimmer.now_and_then()
    assert calls == [0]


def test_the_process_trimmer_calls_the_c_librarys_malloc_trim():
    trim = heap._malloc_trim()  # noqa: SLF001
    assert trim is not None  # glibc, as in the image and on CI
    assert trim(0) in (0, 1)
    assert isinstance(trim, ctypes._CFuncPtr)  # noqa: SLF001
