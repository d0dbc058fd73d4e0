"""jdmtrack.parallel: work in a forked child, and the parent's own answer when it fails.

Each test makes the work tell which process ran it (its pid), so a test can see whether
the child's answer or the parent's was used, and checks that no child is left behind.
"""

from __future__ import annotations

import os
import sys

import pytest

from jdmtrack.parallel import ENVIRONMENT, in_child, parallel_enabled, warm_child

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


@pytest.fixture(autouse=True)
def _parallel_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENVIRONMENT, "1")
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)


def no_child_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_child_computes_the_result() -> None:
    parent = os.getpid()
    with in_child(lambda: (os.getpid(), [1.5, "two", {"three": None}])) as pending:
        assert pending.in_child
        pid, value = pending.result()
    assert pid != parent and value == [1.5, "two", {"three": None}]
    assert pending.result() == (pid, value)  # asked twice: the same answer, no new work
    assert no_child_left()


def test_a_failing_child_leaves_the_work_to_the_parent() -> None:
    parent = os.getpid()

    def work() -> int:
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        return os.getpid()

    with in_child(work) as pending:
        assert pending.result() == parent
    assert no_child_left()


def test_an_error_of_the_work_itself_reaches_the_parent_as_itself() -> None:
    def work() -> int:
        raise KeyError("patient_id")

    with pytest.raises(KeyError, match="patient_id"), in_child(work) as pending:
        pending.result()
    assert no_child_left()


def test_a_child_that_dies_is_reaped_and_the_parent_answers() -> None:
    parent = os.getpid()

    def work() -> int:
        if os.getpid() != parent:
            os._exit(3)  # killed in the middle, nothing sent
        return 7

    with in_child(work) as pending:
        assert pending.result() == 7
    assert no_child_left()


def test_an_unpicklable_result_is_computed_by_the_parent() -> None:
    parent = os.getpid()
    with in_child(lambda: (os.getpid(), (lambda: None) if os.getpid() != parent else None)
                  ) as pending:
        assert pending.result() == (parent, None)


def test_leaving_the_block_early_stops_the_child() -> None:
    import time

    with pytest.raises(ValueError, match="the parent failed"), \
            in_child(lambda: time.sleep(60)) as pending:
        assert pending.in_child
        raise ValueError("the parent failed")
    assert no_child_left()


@pytest.mark.parametrize("value", ["0", "no", "off", "false", " OFF "])
def test_the_environment_turns_the_child_off(monkeypatch: pytest.MonkeyPatch,
                                             value: str) -> None:
    monkeypatch.setenv(ENVIRONMENT, value)
    assert not parallel_enabled()
    with in_child(os.getpid) as pending:
        assert not pending.in_child
        assert pending.result() == os.getpid()


def test_one_core_means_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    assert not parallel_enabled()


def test_the_child_writes_nothing_to_the_terminal(capfd: pytest.CaptureFixture[str]) -> None:
    def work() -> int:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"), in_child(work) as pending:
        pending.result()
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""  # no traceback from the child


# -- warm_child: prepared before its argument exists ---------------------------------------

PREPARED: list[int] = []


def prepare() -> None:
    PREPARED.append(os.getpid())


def test_a_warm_child_prepares_then_works_on_the_argument() -> None:
    parent = os.getpid()
    with warm_child(prepare, lambda numbers: (os.getpid(), list(PREPARED), sum(numbers))
                    ) as warm:
        assert warm.in_child
        pid, prepared, total = warm.submit(list(range(100))).result()
    assert pid != parent and prepared == [pid] and total == 4950
    assert PREPARED == []  # the preparation ran in the child only
    assert no_child_left()


def test_a_large_argument_reaches_a_child_still_preparing() -> None:
    import time

    big = bytes(range(256)) * 40_000  # 10 MB: far more than a pipe holds

    with warm_child(lambda: time.sleep(0.3), lambda data: (len(data), data[-3:])) as warm:
        pending = warm.submit(big)
        assert pending.result() == (len(big), big[-3:])
    assert no_child_left()


def test_a_warm_child_that_died_leaves_the_work_to_the_parent() -> None:
    parent = os.getpid()

    def die() -> None:
        os._exit(5)

    with warm_child(die, lambda x: (os.getpid(), x * 2)) as warm:
        assert warm.submit(21).result() == (parent, 42)
    assert no_child_left()


def test_a_warm_child_never_given_work_is_stopped() -> None:
    with pytest.raises(ValueError, match="analysis failed"), \
            warm_child(prepare, lambda x: x) as warm:
        assert warm.in_child
        raise ValueError("analysis failed")
    assert no_child_left()


def test_a_warm_child_takes_one_argument() -> None:
    with warm_child(prepare, lambda x: x) as warm:
        assert warm.submit(1).result() == 1
        with pytest.raises(RuntimeError, match="one argument"):
            warm.submit(2)


def test_without_a_child_the_preparation_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENVIRONMENT, "0")
    with warm_child(prepare, lambda x: (os.getpid(), x)) as warm:
        assert not warm.in_child
        assert warm.submit("a").result() == (os.getpid(), "a")
    assert PREPARED == []


def test_no_fork_beside_other_threads() -> None:
    """A thread might hold a lock the child would wait for: no child while one runs."""
    import threading

    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not parallel_enabled()
        with in_child(os.getpid) as pending:
            assert not pending.in_child and pending.result() == os.getpid()
    finally:
        release.set()
        thread.join()
    assert parallel_enabled()


def test_no_fork_on_macos(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not parallel_enabled()
