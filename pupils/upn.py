"""The DfE Unique Pupil Number (UPN): its check letter and a structural validity test.

A UPN has 13 characters: a check letter; the LA number (3 digits); the DfE establishment number
(4 digits); the last 2 digits of the academic year of allocation; a serial of 3 digits, or for a
temporary UPN 2 digits and a letter.

The check letter is the weighted sum of characters 2-13 (weights 2 to 13) modulo 23, read as an
index into the 23 letters A-Z without I, O and S. In a temporary UPN the final letter counts as its
index in the same alphabet (A = 0, B = 1, ...).

Sources: DfE, "Unique pupil numbers (UPNs): a guide for schools and local authorities" (UPN Guide
1.2, 2019), as quoted in the school census validation rule 1510 ("UPN invalid (wrong check letter at
character 1)"); UK Government Data Standards Catalogue, "Unique Pupil Number" v2.0 (govtalk.gov.uk,
agreed 18 November 2004), validations 1-6. Worked examples from the DfE guidance are in
tests/pupils/test_upn.py.

Not checked here: whether characters 2-4 are a recognised LA code (census rule 1530), because that
list changes with local government reorganisation and the demo LAs use unallocated codes.
"""

from __future__ import annotations

CHECK_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"


def _value(char: str) -> int:
    if char.isdigit() and char.isascii():
        return int(char)
    return CHECK_ALPHABET.index(char)


def upn_check_letter(body12: str) -> str:
    """The check letter for characters 2-13 of a UPN (11 digits, then a digit or a letter)."""
    if not _is_valid_body(body12):
        raise ValueError(f"Not the last 12 characters of a UPN: {body12!r}")
    total = sum(weight * _value(char) for weight, char in enumerate(body12, start=2))
    return CHECK_ALPHABET[total % 23]


def is_valid_upn(upn: str) -> bool:
    """True when upn is 13 upper-case characters in UPN form with the right check letter."""
    if not isinstance(upn, str) or len(upn) != 13:
        return False
    check, body = upn[0], upn[1:]
    if check not in CHECK_ALPHABET or not _is_valid_body(body):
        return False
    return upn_check_letter(body) == check


def is_temporary_upn(upn: str) -> bool:
    """True for a valid temporary UPN: the 13th character is a letter rather than a digit."""
    return is_valid_upn(upn) and upn[-1] in CHECK_ALPHABET


def _is_valid_body(body: str) -> bool:
    if len(body) != 12:
        return False
    digits, last = body[:11], body[11]
    all_digits = digits.isascii() and digits.isdigit()
    last_ok = (last.isascii() and last.isdigit()) or last in CHECK_ALPHABET
    return all_digits and last_ok
