"""The group member id a worker rejoins under after a restart."""

from ledger.stream import membership


def test_a_restart_finds_the_member_id_its_last_run_had(tmp_path):
    membership.remember(tmp_path, "ledger-1-2b7e")

    assert membership.remembered(tmp_path) == "ledger-1-2b7e"


def test_a_new_machine_has_none_and_joins_as_a_new_member(tmp_path):
    assert membership.remembered(tmp_path) is None
    (tmp_path / membership.MEMBER_FILE).write_text("")  # cut short by a kill
    assert membership.remembered(tmp_path) is None
