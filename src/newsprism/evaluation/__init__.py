"""The lab that measures newsprism: data loaders, metrics, baselines, training and tuning.

Nothing in the product stages imports this package; the `newsprism eval …` commands and
`newsprism outlets train` load it lazily. Data comes from one setting (`newsprism.evaluation.paths`).
"""

import newsprism._native  # noqa: F401  (first: see that module)
