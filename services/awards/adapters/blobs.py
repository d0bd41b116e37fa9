"""The bytes of dossier files, in awards' own schema: one row per distinct content, keyed by its
SHA-256 (hex), written once (INSERT … ON CONFLICT DO NOTHING) and never changed — triggers refuse
UPDATE, DELETE and TRUNCATE, and a CHECK makes PostgreSQL itself refuse a row whose key is not
the hash of its bytes. The column is stored uncompressed out of line (STORAGE EXTERNAL: PDFs,
images and Office files are compressed already), so a download reads it slice by slice."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg

TABLE = "dossier_files"
CHUNK = 1024 * 1024

# The table and its triggers are created by awards' migrations (adapters/migrations).


class Blobs:
    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self.pool = pool
        self.schema = schema

    async def put(self, sha256: str, content: bytes) -> None:
        """Store `content` under its hash, once: the same bytes again store nothing."""
        await self.pool.execute(
            f'INSERT INTO "{self.schema}".{TABLE} (sha256, size, content) VALUES ($1, $2, $3) '
            "ON CONFLICT (sha256) DO NOTHING",
            sha256,
            len(content),
            content,
        )

    async def size(self, sha256: str) -> int | None:
        found = await self.pool.fetchval(
            f'SELECT size FROM "{self.schema}".{TABLE} WHERE sha256 = $1', sha256
        )
        return None if found is None else int(found)

    async def chunks(self, sha256: str, size: int) -> AsyncIterator[bytes]:
        """The stored bytes, CHUNK at a time (substring of an uncompressed column reads only its slice)."""
        query = f'SELECT substring(content FROM $2 FOR $3) FROM "{self.schema}".{TABLE} WHERE sha256 = $1'
        for start in range(0, size, CHUNK):
            part = await self.pool.fetchval(query, sha256, start + 1, CHUNK)
            if part is None:
                return
            yield bytes(part)
