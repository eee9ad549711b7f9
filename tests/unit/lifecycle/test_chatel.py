"""The loi Chatel mention of the annual notice: the deadline to refuse the renewal, and what a late
notice changes (article L113-15-1)."""

from datetime import date

from espace.lifecycle.renewal import NOTICE_LEAD_DAYS
from espace.lifecycle.renewal_notice import chatel_terms


def test_a_notice_sent_in_time_gives_the_contract_deadline_two_months_before():
    anniversary = date(2027, 3, 1)
    terms = chatel_terms(anniversary, anniversary.replace(year=2026, month=12, day=1))
    assert terms.deadline == date(2027, 1, 1) and not terms.late
    assert "L113-15-1" in terms.mention and "01/01/2027" in terms.mention
    assert "vingt jours" in terms.mention  # the consequence of a late or missing notice


def test_the_job_sends_the_notice_within_the_legal_window():
    from datetime import timedelta

    for anniversary in (date(2027, 1, 1), date(2028, 2, 29), date(2027, 12, 31)):
        sent = anniversary - timedelta(days=NOTICE_LEAD_DAYS)
        terms = chatel_terms(anniversary, sent)
        assert not terms.late, anniversary
        assert timedelta(days=15) <= terms.deadline - sent <= timedelta(days=92)


def test_a_late_notice_gives_twenty_days_from_its_sending():
    terms = chatel_terms(date(2027, 3, 1), date(2026, 12, 25))
    assert terms.late and terms.deadline == date(2027, 1, 14)
    assert "vingt jours à compter de son envoi" in terms.mention
