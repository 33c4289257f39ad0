from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jarjesto_core.business_id import WEIGHTS, business_id_problem, check_digit

bodies = st.text(alphabet="0123456789", min_size=7, max_size=7)


def remainder(body: str) -> int:
    return sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11


@pytest.mark.parametrize("text", ["0242746-2", "0000000-0", "1572860-0"])
def test_valid_business_ids(text: str) -> None:
    assert business_id_problem(text) is None


def test_wrong_check_digit_names_the_right_one() -> None:
    assert business_id_problem("0242746-3") == (
        "%(found)s has the wrong check digit: expected %(expected)s",
        {"found": "'0242746-3'", "expected": "0242746-2"},
    )


@pytest.mark.parametrize("text", ["242746-2", "02427462", "0242746-22", "O242746-2", " 0242746-2"])
def test_malformed_business_ids(text: str) -> None:
    problem = business_id_problem(text)
    assert problem is not None
    message, params = problem
    assert message % params == (
        f"{text!r} is not a business ID: expected seven digits, a hyphen and a check digit, "
        "such as 0242746-2"
    )


def test_remainder_one_has_no_valid_check_digit() -> None:
    body = next(f"{n:07d}" for n in range(10_000_000) if remainder(f"{n:07d}") == 1)
    assert check_digit(body) is None
    for digit in "0123456789":
        problem = business_id_problem(f"{body}-{digit}")
        assert problem is not None
        message, params = problem
        assert message % params == (
            f"'{body}-{digit}' is not a business ID: no check digit is valid after {body} "
            "(the weighted sum leaves remainder 1)"
        )


@given(bodies)
def test_every_body_has_one_check_digit_or_none(body: str) -> None:
    valid = [d for d in "0123456789" if business_id_problem(f"{body}-{d}") is None]
    if remainder(body) == 1:
        assert valid == []
        assert check_digit(body) is None
    else:
        assert valid == [str(check_digit(body))]
        # The check digit makes the weighted sum plus the digit a multiple of 11.
        assert (remainder(body) + int(valid[0])) % 11 == 0


def test_check_digit_refuses_a_body_that_is_not_seven_digits() -> None:
    with pytest.raises(ValueError, match="is not seven digits"):
        check_digit("123")
