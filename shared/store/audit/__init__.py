"""Tamper evidence: a hash chain over each service's event log.

Every stored event gets a link in `<events table>_chain`:
    hash = sha256(prev_hash || notification_id || originator_id || version || topic || state)
(fields length-prefixed, the first prev_hash is 32 zero bytes: `chain`), written by the recorder
(`recorder`, with `schema`'s seal function or `binary_copy`) in the same transaction as the event,
while it holds its EXCLUSIVE lock on the events table — so links are appended in notification
order and no two writers read the same last link.

`verification.verify` recomputes the chain and names the first event whose stored bytes, position
or presence no longer match. It proves the log is the one that was sealed, up to its head; it
cannot tell a consistent rewrite of log and chain (or a truncated tail) from the original unless
the head hash was recorded elsewhere — pass it back as `anchor` to check (README, "Tamper
evidence"). The application takes the recorder through `recorder.ChainedFactory`."""
