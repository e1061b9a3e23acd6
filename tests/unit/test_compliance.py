"""SOP compliance over January 2026: Isra Mi'raj (Friday 16 January), weekends, office hours.

The default office hours are 07:30–16:00 WIB on Monday to Friday.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.domain.calendar import WorkingCalendar
from bot.domain.compliance import (
    CycleTrail,
    ReviewRecord,
    StepStatus,
    TrailEvent,
    UnitDelivery,
    calendar_years,
    comparison_lines,
    measure_cycle,
    summary_lines,
)
from bot.domain.organisation import OfficeHoursSpec

WIB = ZoneInfo("Asia/Jakarta")
OFFICE = WorkingCalendar.for_office(OfficeHoursSpec(), [2025, 2026])
DEADLINE = date(2026, 1, 28)  # 7 working days after Monday 19 January


def at(day: int, hour: int, minute: int = 0, month: int = 1) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


def event(moment: datetime, action: str, actor: str = "Fajar", version: int | None = None):
    return TrailEvent(moment, action, actor, version)


def review(version: int, stage: str, reviewer: str, decision: str, assigned, decided=None, **kw):
    return ReviewRecord(version, stage, reviewer, decision, assigned, decided, **kw)


FULL_EVENTS = (
    # Step 1 spans Friday's holiday and the weekend: 60 + 90 office minutes, not 4 days.
    event(at(15, 15), "cycle.drafted"),
    event(at(19, 9), "cycle.sent"),
    event(at(21, 10), "submission.flagged", "Fajar"),
    # Step 3, round 1: returned by Agus after 90 minutes.
    event(at(27, 10), "draft.submitted", version=1),
    event(at(27, 11, 30), "draft.kasubbag.returned", "Agus", version=1),
    # Round 2: from 15:30 to 08:00 the next morning is 30 + 30 office minutes.
    event(at(28, 15, 30), "draft.submitted", version=2),
    event(at(29, 8), "draft.initialled", "sistem", version=2),
    # Step 4: returned after 20 minutes, then 10 + 15 more for version 3.
    event(at(29, 8, 20), "draft.sekretaris.returned", "Hendra", version=2),
    event(at(29, 9), "draft.submitted", version=3),
    event(at(29, 9, 40), "draft.initialled", "sistem", version=3),
    event(at(29, 9, 55), "draft.signed", "Hendra", version=3),
    # Step 5: 45 minutes (late); step 6: 10 minutes after the receipt.
    event(at(29, 10, 40), "report.sent", "Yulia", version=3),
    event(at(29, 13), "report.received", "Provinsi", version=3),
    event(at(29, 13, 10), "archive.created", "Yulia"),
)

FULL_REVIEWS = (
    review(1, "kasubbag", "Rina", "approved", at(27, 10), at(27, 10, 20)),
    review(1, "kasubbag", "Agus", "returned", at(27, 10), at(27, 11, 30)),
    review(1, "kasubbag", "Yulia", "cancelled", at(27, 10), at(27, 11, 30)),
    review(2, "kasubbag", "Rina", "approved", at(28, 15, 30), at(28, 15, 40)),
    review(2, "kasubbag", "Agus", "approved", at(28, 15, 30), at(28, 15, 50)),
    review(2, "kasubbag", "Yulia", "approved", at(28, 15, 30), at(29, 8)),
    review(2, "sekretaris", "Hendra", "returned", at(29, 8), at(29, 8, 20)),
    review(3, "kasubbag", "Rina", "approved", at(29, 9), at(29, 9, 40)),
    review(
        3,
        "sekretaris",
        "Hendra",
        "approved",
        at(29, 9, 40),
        at(29, 9, 55),
        decided_by="Yulia",
        acting_title="Plh.",
    ),
)

UNITS = (
    UnitDelivery("KUL", at(23, 14)),
    UnitDelivery("TEKNIS", at(29, 9)),  # a day after the deadline
    UnitDelivery("HUKUM", at(28, 15, 59)),  # the deadline day itself: on time
)


def trail(events=FULL_EVENTS, reviews=FULL_REVIEWS, units=UNITS) -> CycleTrail:
    return CycleTrail(1, 2026, "Tahun 2026", DEADLINE, tuple(events), tuple(reviews), units)


def measure(t: CycleTrail, now: datetime | None = None):
    return measure_cycle(t, calendar=OFFICE, tz=WIB, now=now or at(30, 12))


def test_a_whole_cycle_is_measured_in_office_minutes_across_a_holiday_and_a_weekend() -> None:
    steps = measure(trail()).steps
    assert [s.status for s in steps] == [StepStatus.DONE] * 6
    assert [s.minutes for s in steps[:1] + steps[2:]] == [150, 190, 35, 45, 10]
    assert [s.late for s in steps] == [True, True, True, True, True, False]
    # Step 2 runs from Monday 19 January until TEKNIS's data on Thursday 29, a day after the
    # office's deadline: 8 working days of the 7 it allowed.
    assert steps[1].working_days == 8 and steps[1].share == Decimal("114.29")
    assert steps[1].standard_label == "7 hari kerja"
    assert steps[0].share == Decimal(125)


def test_step_two_is_on_time_when_every_unit_answers_by_the_deadline_the_office_set() -> None:
    # The SOP's own 7 working days as the deadline; the last data comes on the deadline day
    # and the team submits its draft the day after: the step is on time, at 100 %.
    units = (UnitDelivery("KUL", at(23, 14)), UnitDelivery("TEKNIS", at(28, 15)))
    step2 = measure(trail(units=units)).steps[1]
    assert step2.working_days == 7 and step2.share == Decimal(100) and step2.late is False
    assert "7 hari kerja (standar 7 hari kerja) ✅" in summary_lines(measure(trail(units=units)))[2]


def test_step_two_is_measured_against_the_office_deadline_not_the_sop_default() -> None:
    # The office gave 10 working days (until Monday 2 February): 8 of them used is on time.
    longer = CycleTrail(1, 2026, "Tahun 2026", date(2026, 2, 2), FULL_EVENTS, FULL_REVIEWS, UNITS)
    step2 = measure(longer).steps[1]
    assert step2.allowed_days == 10 and step2.working_days == 8 and step2.late is False
    assert step2.share == Decimal(80)


def test_step_two_runs_while_a_unit_still_owes_data() -> None:
    units = (UnitDelivery("KUL", at(23, 14)), UnitDelivery("TEKNIS", None))
    step2 = measure(trail(units=units), now=at(27, 12)).steps[1]
    assert step2.status is StepStatus.RUNNING and step2.late is None


def test_returns_rounds_and_who_was_late_are_reported_per_step() -> None:
    step2, step3, step4 = measure(trail()).steps[1:4]
    assert step2.returns == 1
    assert [(d.who, d.late) for d in step2.details] == [
        ("KUL", False),
        ("TEKNIS", True),
        ("HUKUM", False),
    ]
    assert step2.details[1].note == "batas 28 Januari 2026; terlambat 1 hari kerja"
    assert step3.returns == 1 and step4.returns == 1
    assert [(r.what, r.outcome, r.minutes) for r in step3.rounds] == [
        ("putaran versi 1", "dikembalikan", 90),
        ("putaran versi 2", "paraf lengkap", 60),
        ("putaran versi 3", "paraf lengkap", 40),
    ]
    # 60 office minutes exactly is within the standard; 90 is not, decided or not.
    assert [(d.who, d.what, d.minutes) for d in step3.late_people] == [
        ("Agus", "versi 1", 90),
        ("Yulia", "versi 1", 90),
    ]
    assert [(r.outcome, r.minutes) for r in step4.rounds] == [
        ("dikembalikan", 20),
        ("ditandatangani", 15),
    ]
    assert step4.details[-1].who == "Hendra (Plh. Yulia)"
    assert step4.late_people == ()  # each decision was quick; the two rounds together were not


def test_steps_not_reached_say_belum_and_a_running_step_counts_to_now() -> None:
    events = FULL_EVENTS[:3]  # drafted, sent, one flagged submission
    now = at(21, 11)  # Wednesday: two working days after the Nota Dinas
    cycle = measure(trail(events, (), (UnitDelivery("KUL", None),)), now)
    step1, step2, *rest = cycle.steps
    assert step1.status is StepStatus.DONE
    assert step2.status is StepStatus.RUNNING and step2.working_days == 2
    assert step2.late is None  # not over yet, not late yet
    assert step2.details[0].outcome == "belum lengkap" and not step2.details[0].late
    assert all(s.status is StepStatus.NOT_REACHED and s.minutes is None for s in rest)
    lines = summary_lines(cycle)
    assert len(lines) == 1 + 6 + 1 + 1
    assert lines[3] == "3. Pemeriksaan konsep (paraf Kasubbag): belum"
    assert lines[6] == "6. Pendokumentasian laporan kinerja: belum"
    assert lines[7] == "Pengiriman laporan ke KPU Provinsi: belum dikirim."
    assert "2 hari kerja (standar 7 hari kerja) ⏳ belum selesai" in lines[2]


def test_a_pending_reviewer_past_the_standard_is_late_while_the_round_runs() -> None:
    events = [*FULL_EVENTS[:3], event(at(27, 15), "draft.submitted", version=1)]
    reviews = [review(1, "kasubbag", "Nurhayati", "pending", at(27, 15))]
    step3 = measure(trail(events, reviews), now=at(28, 8)).steps[2]
    # Tuesday 15:00–16:00, then Wednesday 07:30–08:00: 90 office minutes so far.
    assert step3.status is StepStatus.RUNNING and step3.minutes == 90
    assert step3.late is True
    assert [(d.who, d.outcome) for d in step3.late_people] == [("Nurhayati", "belum memutuskan")]


def test_a_draft_returned_and_not_yet_resubmitted_stops_the_step_clock() -> None:
    events = [*FULL_EVENTS[:5]]  # round 1 returned, nothing submitted since
    step3 = measure(trail(events), now=at(30, 12)).steps[2]
    assert step3.status is StepStatus.RUNNING and step3.minutes == 90


def test_a_step_whose_start_is_not_in_the_trail_is_not_given_a_number() -> None:
    events = [e for e in FULL_EVENTS if e.action != "cycle.drafted"]
    step1 = measure(trail(events)).steps[0]
    assert step1.status is StepStatus.UNRECORDED and step1.minutes is None
    assert step1.late is None


def test_archiving_before_any_receipt_measures_step_six_from_the_delivery() -> None:
    events = [e for e in FULL_EVENTS if e.action != "report.received"]
    step6 = measure(trail(events)).steps[5]
    assert step6.started_at == at(29, 10, 40) and step6.minutes == 150 and step6.late


def test_the_comparison_has_one_line_per_cycle() -> None:
    old = CycleTrail(
        2,
        2025,
        "Tahun 2025",
        date(2025, 1, 31),
        (
            event(datetime(2025, 1, 20, 8, tzinfo=WIB), "cycle.drafted"),
            event(datetime(2025, 1, 20, 9, tzinfo=WIB), "cycle.sent"),
        ),
    )
    cycles = [measure(old), measure(trail())]
    lines = comparison_lines(cycles)
    assert lines[1] == "Tahun 2025: 1✅ 2⚠️ 3– 4– 5– 6–; pengembalian 0"
    assert lines[2] == "Tahun 2026: 1⚠️ 2⚠️ 3⚠️ 4⚠️ 5⚠️ 6✅; pengembalian 3"


def test_the_calendar_covers_every_year_the_trail_touches() -> None:
    years = calendar_years([trail()], now=datetime(2027, 2, 1, tzinfo=WIB), tz=WIB)
    assert years == {2026, 2027}
