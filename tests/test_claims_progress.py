import pytest

from landscape.claims import ClaimError, claim
from landscape.progress import progress


def test_claim_passes_and_returns_the_value():
    assert claim(2.9999, 3.0, tol=0.01) == 2.9999
    assert claim(3, 3, what="count") == 3
    assert claim("saddle", "saddle") == "saddle"


@pytest.mark.parametrize("value, stated, kw", [(2.5, 3.0, dict(tol=0.1)), (4, 3, {}), ("minimum", "saddle", {}),
                                               ([1.0, 2.0], [1.0], {}), (1.0 + 1e-3, 1.0, {})])
def test_claim_fails_with_a_message_naming_the_claim(value, stated, kw):
    with pytest.raises(ClaimError, match="slope"):
        claim(value, stated, what="slope", **kw)


def test_progress_yields_everything():
    assert list(progress(range(5), "x")) == [0, 1, 2, 3, 4]
    assert list(progress((i for i in range(3)), "gen")) == [0, 1, 2]
