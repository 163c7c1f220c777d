"""Citizen guidance chatbot: public Q&A knowledge, retrieval answers with department and phone, escalation
tickets, safety screening, database-backed rate limits and daily reports.

    from guai.citizen import ask, escalate, lookup, import_guidance, daily_report
    answer = ask(db, "음식물 쓰레기 언제 버려요?", session_id=None, client="203.0.113.5", secret=settings.secret())
    answer.public()   # {"answer", "department", "phone", "sources", "escalate", "session", ...}

Every worker builds the same in-process index from the database and rebuilds it when the guidance
generation changes; rate limits, sessions, tickets and the answer log live in the database.
"""

from guai.citizen.answer import ChatAnswer, RateLimited, Turn, ask, korean_date
from guai.citizen.importer import ImportReport, import_guidance
from guai.citizen.index import get_index, invalidate
from guai.citizen.public import PublicTicket, TooMany, escalate, lookup
from guai.citizen.records import seal_answers, verify_seals
from guai.citizen.reports import DailyReport, daily_report, weak_questions
from guai.citizen.safety import mask_for_log, screen
from guai.citizen.store import (
    CitizenError,
    CitizenSettings,
    GuidanceInput,
    deactivate_guidance,
    get_guidance,
    list_guidance,
    load_settings,
    save_guidance,
    save_settings,
)
from guai.citizen.tickets import STATUSES, TicketInput, list_tickets, staff_view, update_ticket

__all__ = [
    "STATUSES",
    "ChatAnswer",
    "CitizenError",
    "CitizenSettings",
    "DailyReport",
    "GuidanceInput",
    "ImportReport",
    "PublicTicket",
    "RateLimited",
    "TicketInput",
    "TooMany",
    "Turn",
    "ask",
    "daily_report",
    "deactivate_guidance",
    "escalate",
    "get_guidance",
    "get_index",
    "import_guidance",
    "invalidate",
    "korean_date",
    "list_guidance",
    "list_tickets",
    "load_settings",
    "lookup",
    "mask_for_log",
    "save_guidance",
    "save_settings",
    "screen",
    "seal_answers",
    "staff_view",
    "update_ticket",
    "verify_seals",
    "weak_questions",
]
