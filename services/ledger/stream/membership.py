"""The consumer group member id a worker last had, kept in its data folder.

A worker killed with ``kill -9`` leaves its member in the group until the
member's session times out; a restart that joins as a new member waits for that
timeout, then for a rebalance. Rejoining under the remembered id lets the
coordinator treat the restart as the same member coming back. A coordinator that
no longer knows the id answers UNKNOWN_MEMBER_ID and the client joins afresh,
so a stale id costs one round trip, nothing more.
"""

from pathlib import Path

MEMBER_FILE = "group-member-id"


def remembered(datadir: Path) -> str | None:
    try:
        return (datadir / MEMBER_FILE).read_text().strip() or None
    except OSError:
        return None


def remember(datadir: Path, member_id: str) -> None:
    path = datadir / MEMBER_FILE
    if remembered(datadir) != member_id:
        path.write_text(member_id)
