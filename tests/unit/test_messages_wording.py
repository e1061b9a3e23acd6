"""The bot's wording rules, checked on the message functions themselves."""

from __future__ import annotations

from decimal import Decimal

from bot.domain.capaian import compute_capaian
from bot.domain.performance import Polarity, Target
from bot.messages import approval, delivery, review


def _new_submission(warnings: list[str]) -> str:
    return review.new_submission(
        unit_name="Sub Bagian Teknis",
        code="IK 3.1",
        name="Persentase laporan tepat waktu",
        period_label="Tahun 2026",
        realisasi=Decimal(20),
        satuan="persen",
        target_text="100 %",
        capaian=compute_capaian(
            realisasi=Decimal(20),
            target=Target.exactly(Decimal(100)),
            polarity=Polarity.HIGHER_IS_BETTER,
        ),
        version=1,
        submitter="Dedi",
        warnings=warnings,
    )


def test_a_confirmed_doubtful_value_is_told_to_rendatin_in_words_not_as_a_code() -> None:
    text = _new_submission(["far_below_target"])

    assert "far_below_target" not in text
    assert "⚠️ Peringatan otomatis: capaian jauh di bawah target" in text


def test_a_confirmed_high_value_is_told_in_words_too() -> None:
    text = _new_submission(["far_above_target"])

    assert "far_above_target" not in text and "capaian jauh di atas target" in text


def test_a_recipient_whose_name_ends_with_a_full_stop_gets_no_second_one() -> None:
    reply = delivery.sent(
        number="2/ORT.06/1771/3/2026",
        label="Tahun 2026",
        recipients=["Suryadi, S.E., M.M."],
        late="",
    )

    assert ".." not in reply.text
    assert "kepada Suryadi, S.E., M.M. Anda akan diberi tahu" in reply.text


def test_several_recipients_are_joined_with_the_serial_comma() -> None:
    reply = delivery.sent(number="2", label="Tahun 2026", recipients=["A", "B", "C"], late="")

    assert "kepada A, B, dan C. Anda" in reply.text


def test_a_kasubbag_or_the_sekretaris_asked_to_decide_is_addressed_as_bapak_ibu() -> None:
    to_reviewer = [
        approval.initial_recorded(1).text,
        approval.initials_complete(1).text,
        approval.stage_complete(1).text,
        approval.signed(1).text,
        approval.returned(1).text,
        approval.ask_reason(1).text,
        approval.NOTHING_WAITING.text,
    ]

    for text in to_reviewer:
        assert "Anda" not in text, text
    assert "Paraf Bapak/Ibu untuk versi 1 tercatat" in to_reviewer[0]
    assert "telah Bapak/Ibu tandatangani" in to_reviewer[3]
