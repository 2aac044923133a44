"""Phone numbers: parse what people type into E.164, and mask them for logs."""

import phonenumbers
from django.core.exceptions import ValidationError

DEFAULT_REGION = "US"


def to_e164(value: str, region: str = DEFAULT_REGION) -> str:
    """Parse a typed number ("(312) 555-0123") into E.164, or raise ValidationError."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(f"{value!r} is not a phone number") from None
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        raise ValidationError(f"{value!r} is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_e164(value: str) -> None:
    if value and to_e164(value) != value:
        raise ValidationError(f"{value!r} is not in E.164 form, e.g. +13125550123")


def mask(value: str) -> str:
    """Keep the last four digits only, for logs and pages."""
    return f"***{value[-4:]}" if value else ""
