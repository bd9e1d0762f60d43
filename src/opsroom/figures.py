"""The figure rule of every merge: within one article and across articles.

Every figure stays a claim with its claimant; ``fatalities`` is the most conservative
credible figure, as ACLED codes (the smallest non-zero one asserted; a zero stated
beside non-zero figures speaks for one side only, "no American was killed"), and
``fatalities_low``/``fatalities_high`` span the asserted figures, as UCDP's low and high.
Denials do not count.  It imports nothing but the records, so the merge within an
article (``events.article_merge``) and the merge across articles (``merge.reconcile``)
share it without either importing the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .models import Claim


def asserted(claims: Iterable[Claim], name: str) -> tuple[list[int], list[int]]:
    """(figures, upper bounds of ranges) the claims assert for one field ("fatalities").

    A range ("between 10 and 15 killed") asserts its low end and bounds the high one; a
    denial asserts nothing.
    """
    values: list[int] = []
    highs: list[int] = []
    for c in claims:
        if c.field == name and c.stance == "asserts" and c.value is not None:
            values.append(c.value)
            if c.value and c.value_high is not None:
                highs.append(c.value_high)
    return values, highs


def figure_span(values: Sequence[int], highs: Sequence[int] = ()
                ) -> tuple[int | None, int | None, int | None]:
    """(conservative, low, high) of the asserted figures of one happening.

    A zero stated beside non-zero figures speaks for one side only ("no American was
    killed"): the conservative figure is the smallest non-zero one.  None when nothing
    was asserted; all zero when only zero was.
    """
    if not values:
        return None, None, None
    nonzero = [v for v in values if v > 0]
    if not nonzero:
        return 0, 0, 0
    return min(nonzero), min(nonzero), max([*nonzero, *highs])
