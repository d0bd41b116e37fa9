"""Field types shared by command bodies: codes, names (NFC), bounded lists."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from shared.text import nfc

Code = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$"),
    Field(description="a code: lower-case letters, digits, '-', '.', '_' (at most 64)", examples=["bac-kan"]),
]
Name = Annotated[str, AfterValidator(nfc), StringConstraints(min_length=1, max_length=300)]
Text = Annotated[str, AfterValidator(nfc), StringConstraints(max_length=4000)]
Year = Annotated[int, Field(ge=1945, le=2100, examples=[2023])]


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
