"""A record looked up by a client-chosen serial, then checked to be the requester's before
anything else runs (`if rec.owner_id != me.id: raise ...`, `if not rec.can_edit(user)`), is
their own: no IDL006, its person foreign key is theirs (low severity)."""

from __future__ import annotations

from pathlib import Path

from test_engine import brief, run

from idlint.severity import OWN_SERIAL_CAP, band

PLEDGES = """
from django.conf import settings
from django.db import models


class Pledge(models.Model):
    backer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    full_name = models.CharField(max_length=80)
    phone = models.CharField(max_length=20)
    public = models.BooleanField(default=False)

    def is_backed_by(self, person):
        return self.backer_id == person.id

    def changeable_in(self, request):
        return self.backer == request.user

    def shown_to(self, person):
        return self.public or self.backer_id == person.id
"""


def test_a_lookup_checked_to_be_the_requesters_is_theirs(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": PLEDGES,
        "app/views.py": """
            from django.core.exceptions import PermissionDenied
            from django.http import HttpResponseForbidden, JsonResponse
            from .models import Pledge


            def filtered(request, pledge_id):
                p = Pledge.objects.get(id=pledge_id, backer=request.user)
                return JsonResponse({"phone": p.phone, "backer": p.backer_id})


            def compared(request, pledge_id):
                p = Pledge.objects.get(id=pledge_id)
                if p.backer_id != request.user.id:
                    raise PermissionDenied()
                return JsonResponse({"phone": p.phone, "backer": p.backer_id})


            def by_method(request, pledge_id):
                p = Pledge.objects.get(id=pledge_id)
                if not p.is_backed_by(request.user):
                    return JsonResponse({"error": "not yours"}, status=403)
                return JsonResponse({"phone": p.phone, "backer": p.backer_id})


            def by_relation(request, pledge_id):
                p = Pledge.objects.get(pk=pledge_id)
                if p.public or request.user != p.backer:
                    return HttpResponseForbidden()
                return JsonResponse({"phone": p.phone, "backer": p.backer_id})


            def by_request(request, pledge_id):
                p = Pledge.objects.get(pk=pledge_id)
                if not p.changeable_in(request=request):
                    raise PermissionDenied()
                return JsonResponse({"phone": p.phone, "backer": p.backer_id})
        """,
    })
    # each view reports the same as the one whose lookup filters by the requester
    lines = [8, 15, 22, 29, 36]
    assert brief(findings) == [f"app/views.py:{n}:54 IDL001" for n in lines]
    for f in findings:
        assert f.message == \
            "Serial `Pledge.backer_id` reaches the client (JsonResponse body) unprotected"
        assert f.security_severity == OWN_SERIAL_CAP
        assert f.trace[0].message == ("serial foreign key `Pledge.backer_id` is read here "
                                      "(the requesting user's own)")


def test_checks_that_do_not_guard_what_follows(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": PLEDGES,
        "app/views.py": """
            import logging
            from django.core.exceptions import PermissionDenied
            from django.http import JsonResponse
            from .models import Pledge

            log = logging.getLogger(__name__)


            def in_a_branch(request, pledge_id):
                p = Pledge.objects.get(id=pledge_id)
                if request.GET.get("strict"):
                    if p.backer_id != request.user.id:
                        raise PermissionDenied()
                return JsonResponse({"phone": p.phone})


            def goes_on(request, pledge_id):
                p = Pledge.objects.get(id=pledge_id)
                if p.backer_id != request.user.id:
                    log.warning("someone else's pledge")
                return JsonResponse({"phone": p.phone})


            def as_a_flag(request, pledge_id):
                p = Pledge.objects.get(id=pledge_id)
                mine = p.backer_id == request.user.id
                return JsonResponse({"phone": p.phone, "mine": mine})


            def not_an_ownership_method(request, pledge_id):
                p = Pledge.objects.get(id=pledge_id)
                if not p.shown_to(request.user):
                    raise PermissionDenied()
                return JsonResponse({"phone": p.phone})


            def against_the_client(request, pledge_id, backer_id):
                p = Pledge.objects.get(id=pledge_id)
                if p.backer_id != backer_id:
                    raise PermissionDenied()
                return JsonResponse({"phone": p.phone})


            def owner_or_public(request, pledge_id):
                p = Pledge.objects.get(id=pledge_id)
                if p.backer_id != request.user.id and not p.public:
                    raise PermissionDenied()
                return JsonResponse({"phone": p.phone})


            def after_the_response(request, pledge_id):
                p = Pledge.objects.get(id=pledge_id)
                response = JsonResponse({"phone": p.phone})
                if p.backer_id != request.user.id:
                    raise PermissionDenied()
                return response
        """,
    })
    assert brief(findings) == [
        "app/views.py:14:35 IDL006", "app/views.py:21:35 IDL006", "app/views.py:27:35 IDL006",
        "app/views.py:34:35 IDL006", "app/views.py:41:35 IDL006", "app/views.py:48:35 IDL006",
        "app/views.py:53:39 IDL006",
    ]
    assert findings[0].message == (
        "Personal field `Pledge.phone` of a record selected by a client-chosen serial "
        "reaches the client (JsonResponse body)")
    assert {band(f.security_severity) for f in findings} == {"high"}


def test_a_fetched_row_checked_against_the_current_user(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": """
            from sqlalchemy import Column, ForeignKey, Integer, String
            from sqlalchemy.orm import declarative_base, relationship

            Base = declarative_base()


            class Account(Base):
                __tablename__ = "accounts"
                id = Column(Integer, primary_key=True)
                email = Column(String)


            class Booking(Base):
                __tablename__ = "bookings"
                id = Column(Integer, primary_key=True)
                guest_id = Column(Integer, ForeignKey("accounts.id"))
                guest = relationship(Account)
                phone = Column(String)
        """,
        "app/api.py": """
            from fastapi import APIRouter, Depends, HTTPException
            from .models import Account, Booking

            router = APIRouter()


            def get_current_user() -> Account:
                ...


            @router.get("/bookings/{booking_id}")
            def read(booking_id: int, db=Depends(),
                     current_user: Account = Depends(get_current_user)):
                booking = db.get(Booking, booking_id)
                if booking.guest_id != current_user.id:
                    raise HTTPException(status_code=403)
                return {"phone": booking.phone, "guest": booking.guest_id}


            @router.get("/open/{booking_id}")
            def read_open(booking_id: int, db=Depends(),
                          current_user: Account = Depends(get_current_user)):
                booking = db.get(Booking, booking_id)
                return {"phone": booking.phone, "guest": booking.guest_id}
        """,
    })
    assert brief(findings) == ["app/api.py:17:46 IDL001", "app/api.py:24:22 IDL006",
                               "app/api.py:24:46 IDL001"]
    assert [band(f.security_severity) for f in findings] == ["low", "high", "medium"]
    assert findings[0].message == \
        "Serial `Booking.guest_id` reaches the client (route response) unprotected"


def test_a_class_method_of_a_base_called_through_the_subclass(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": PLEDGES,
        "app/views.py": """
            from django.http import JsonResponse
            from .models import Pledge


            class Reply:
                @classmethod
                def about(cls, pledge):
                    return {"ref": pledge.backer_id}


            class PledgeReply(Reply):
                pass


            def view(request):
                p = Pledge.objects.get(full_name="x")
                return JsonResponse(PledgeReply.about(p))
        """,
    })
    assert brief(findings) == ["app/views.py:17:25 IDL001"]
    assert findings[0].message == \
        "Serial `Pledge.backer_id` reaches the client (JsonResponse body) unprotected"
