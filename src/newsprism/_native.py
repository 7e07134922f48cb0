"""Loads onnxruntime's native module before anything else native.

onnxruntime's native module segfaults on import once spaCy, scikit-learn and usearch's numkong are
loaded (seen with onnxruntime 1.32); loading it first avoids the crash. The packages that can import
those libraries (analyse, cluster, compose, batch, evaluation) import this module first, so the cost
is paid only by commands that use them, not by `newsprism --help` or `newsprism extract`.
"""

import contextlib

with contextlib.suppress(ImportError):  # without it, minilm.v1 reports ModelUnavailable
    import onnxruntime  # noqa: F401
