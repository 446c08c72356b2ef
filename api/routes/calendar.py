"""The official working-day calendar by year: which years are known and from where; a process admin enters a
year the calendar package does not know yet, and the timers counted without it are counted again."""
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.calendar import HolidayYearRequest, HolidayYearResult, HolidayYearSchema, HolidayYearsSchema
from api.security.auth import authenticated, current_actor, engine
from engine import clock
from engine.rules.workdays import BEIJING
from engine.timers import holidays, recompute

blp = Blueprint("calendar", __name__, description="法定节假日 · Official holiday calendar")


@blp.route("/calendar/years")
class YearsResource(MethodView):
    @authenticated(blp)
    @blp.response(200, HolidayYearsSchema)
    def get(self):
        """Every year from 2004 to two years ahead, with where its schedule comes from (missing: guessed)."""
        eng = engine()
        with eng.db.transaction() as session:
            return {"items": holidays.years(session, eng.calendar, clock.now().astimezone(BEIJING).year)}


@blp.route("/calendar/years/<int:year>")
class YearResource(MethodView):
    @authenticated(blp)
    @blp.response(200, HolidayYearSchema)
    def get(self, year):
        """One year's schedule and its source."""
        eng = engine()
        with eng.db.transaction() as session:
            return holidays.get(session, eng.calendar, year)

    @authenticated(blp, "process_admin")
    @blp.arguments(HolidayYearRequest)
    @blp.response(200, HolidayYearResult)
    def put(self, body, year):
        """Enter (or correct) a year's schedule from the State Council notice: days off and 调休 make-up days.
        Recorded in the history; waiting timers counted on the weekday fallback are counted again."""
        eng = engine()
        actor = current_actor()
        with eng.db.transaction() as session:
            holidays.enter(session, eng.calendar, year, body["holidays"], body["workdays"], body["source"],
                           actor.username)
            moved = recompute.recompute_year(eng.runtime, session, actor, year)
            return {**holidays.get(session, eng.calendar, year), "recomputed": moved}
