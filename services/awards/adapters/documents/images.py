"""The certificates' layout images a federation uploads (background, signature, seal): checked by
their content — PNG or JPEG only, read whole by Pillow, at most 2 MB and 25 megapixels — and kept
once by their SHA-256 with the dossiers' files (adapters/blobs.py); the event (domain/paper.py)
records the hash, media type and size."""

from __future__ import annotations

import hashlib
import io
import warnings
from typing import Any

from PIL import Image

from services.awards.adapters.blobs import Blobs
from shared.kernel.errors import Invalid

MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 25_000_000
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


def checked(data: bytes, field: str = "image") -> dict[str, object]:
    """The image's record (sha256, media type, size, width, height), or a problem naming `field`."""
    if not data:
        raise Invalid.on(field, "the image is empty; upload a PNG or JPEG file")
    if len(data) > MAX_BYTES:
        raise Invalid.on(field, f"the image is {len(data)} bytes; at most {MAX_BYTES} (2 MB)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind, (width, height) = probe.format, probe.size
                if kind in FORMATS and width * height <= MAX_PIXELS:
                    probe.load()  # the whole image decodes, not only its header
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Invalid.on(field, "not a readable PNG or JPEG image (checked by its content)") from None
    if kind not in FORMATS:
        raise Invalid.on(field, f"a {kind or 'unknown'} image; only PNG and JPEG are accepted")
    if width * height > MAX_PIXELS:
        raise Invalid.on(field, f"the image is {width}×{height} pixels; at most 25 megapixels")
    digest = hashlib.sha256(data).hexdigest()
    return {
        "sha256": digest,
        "media_type": FORMATS[kind],
        "size": len(data),
        "width": width,
        "height": height,
    }


async def image_bytes(blobs: Blobs, image: dict[str, Any] | None) -> bytes | None:
    """A stored image's bytes (kept with the dossiers' files, adapters/blobs.py), None if unset."""
    if not image:
        return None
    parts = [part async for part in blobs.chunks(str(image["sha256"]), int(image["size"]))]
    return b"".join(parts) or None
