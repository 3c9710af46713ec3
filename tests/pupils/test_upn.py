"""The UPN check letter and validity test against published worked examples (pupils/upn.py)."""

import pytest

from pupils.upn import is_temporary_upn, is_valid_upn, upn_check_letter

# Published examples, each with where it was found:
#   H801200001001, G80120000101A: DfE "Unique Pupil Numbers (UPNs)" guidance (gov.uk attachment
#     270560), as used in the DfE multiplication tables check service's pupil validator tests.
#   X00180001701A: the temporary-UPN example of the DfE UPN guide, quoted by Arbor and ScholarPack.
#   B801200005001: python-stdnum, stdnum.gb.upn documentation.
PUBLISHED_VALID = ["H801200001001", "G80120000101A", "X00180001701A", "B801200005001"]


@pytest.mark.parametrize("upn", PUBLISHED_VALID)
def test_published_examples_are_valid(upn: str) -> None:
    assert is_valid_upn(upn)


@pytest.mark.parametrize("upn", PUBLISHED_VALID)
def test_check_letter_of_a_published_example_is_its_first_character(upn: str) -> None:
    assert upn_check_letter(upn[1:]) == upn[0]


@pytest.mark.parametrize(
    ("upn", "why"),
    [
        ("Z801200001001", "wrong check letter (DfE example with Z for H)"),
        ("A801200005001", "wrong check letter (python-stdnum example)"),
        ("H801200001002", "serial changed, check letter not recomputed"),
        ("H801200010001", "two digits transposed"),
        ("G80120000101B", "temporary letter changed"),
        ("H80120000100", "12 characters"),
        ("H8012000010011", "14 characters"),
        ("h801200001001", "lower-case check letter"),
        ("I801200001001", "I is never a check letter"),
        ("G80120000101I", "I is never the final letter of a temporary UPN"),
        ("G80120000101O", "O is never the final letter of a temporary UPN"),
        ("G80120000101S", "S is never the final letter of a temporary UPN"),
        ("H81311111E121", "letter among characters 2-12"),
        ("H 801200001001", "space"),
        ("", "empty"),
        # Census error 1510 help pages of two MIS suppliers give Q207000016049 as the corrected
        # UPN, but their own sum is 266, not 267: 266 mod 23 = 13, so the check letter is P.
        ("Q207000016049", "worked example with an arithmetic slip"),
    ],
)
def test_tampered_or_malformed_upns_are_invalid(upn: str, why: str) -> None:
    assert not is_valid_upn(upn), why


def test_the_corrected_mis_help_page_example_is_valid() -> None:
    assert is_valid_upn("P207000016049")


def test_a_final_letter_counts_as_its_index_in_the_check_alphabet() -> None:
    # G80120000101A: 8*2 + 1*4 + 2*5 + 1*10 + 1*12 + A(0)*13 = 52; 52 mod 23 = 6 -> G.
    assert upn_check_letter("80120000101A") == "G"
    # B counts as 1, so the sum rises by 13: 65 mod 23 = 19 -> W.
    assert upn_check_letter("80120000101B") == "W"


def test_every_check_letter_is_reachable_and_skips_i_o_and_s() -> None:
    letters = {upn_check_letter(f"9900001260{n:02d}") for n in range(100)}
    assert len(letters) == 23
    assert not letters & {"I", "O", "S"}


def test_check_letter_refuses_a_body_that_is_not_twelve_upn_characters() -> None:
    with pytest.raises(ValueError):
        upn_check_letter("8012000010")
    with pytest.raises(ValueError):
        upn_check_letter("80120000101S")


def test_a_temporary_upn_is_recognised_by_its_final_letter() -> None:
    assert is_temporary_upn("G80120000101A")
    assert not is_temporary_upn("H801200001001")
    assert not is_temporary_upn("G80120000101B")


def test_a_non_string_is_invalid() -> None:
    assert not is_valid_upn(None)  # type: ignore[arg-type]
