"""Reassignment order, e-mail recipients and staff-only code found in the view's body."""

from __future__ import annotations

from pathlib import Path

from test_engine import MODELS, brief, run


def test_a_reassigned_name_holds_the_new_value(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": MODELS,
        "app/views.py": """
            import base64
            from django.http import JsonResponse, HttpResponseBadRequest
            from .models import Member


            def unpack(token):
                try:
                    kind, key = base64.b64decode(token).decode().split(":")
                except ValueError:
                    return HttpResponseBadRequest(f"bad token {token}")
                return kind, key


            def show(request, token):
                _, token = unpack(token)
                return JsonResponse({"ok": True})


            def echo_before(request):
                raw = request.GET["t"]
                note = f"got {raw}"
                raw = base64.b64decode(raw)
                return JsonResponse({"note": note})


            def echo_after(request):
                raw = request.GET["t"]
                raw = base64.b64decode(raw)
                return JsonResponse({"note": raw})


            def echo_branch(request):
                raw = request.GET["t"]
                if request.GET.get("b"):
                    raw = base64.b64decode(raw)
                return JsonResponse({"note": raw})


            def branch_then_decode(request, token=None):
                if not token:
                    token = request.GET["t"]
                _, token = unpack(token)
                return JsonResponse({"ok": True})


            def loop_carried(request):
                raw = request.GET["t"]
                out = ""
                for part in raw.split(","):
                    out = out + str(prev) if out else ""
                    prev = base64.b64decode(part)
                return JsonResponse({"note": out})


            def branch_decode(request, token=None):
                if token:
                    _, token = unpack(token)
                    return JsonResponse({"ok": token is None})
                return JsonResponse({"ok": False})
        """,
    })
    # the decoded value is echoed only where the name holds it: after the reassignment
    # (29), or in a branch that may have decoded it (36), or carried by a loop (52); not
    # in the helper whose caller decodes its argument afterwards (10, 39, 57), nor in a
    # message built before the decoding (21)
    assert brief(findings) == ["app/views.py:29:34 IDL005", "app/views.py:36:34 IDL005",
                               "app/views.py:52:34 IDL005"]


def test_an_address_in_the_recipient_header_is_not_content(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": MODELS,
        "app/views.py": """
            import smtplib
            from email.message import EmailMessage
            from email.mime.text import MIMEText
            from django.http import JsonResponse
            from .models import Member


            def notify(request, member_id):
                m = Member.objects.get(pk=member_id)
                msg = EmailMessage()
                msg.set_content("Your code changed")
                msg["Subject"] = "Notice"
                msg["To"] = m.phone
                smtp = smtplib.SMTP("localhost")
                smtp.send_message(msg)
                return JsonResponse({"ok": True})


            def leak(request, member_id):
                m = Member.objects.get(pk=member_id)
                msg = MIMEText("hello")
                msg["Subject"] = f"Call {m.phone}"
                msg["Cc"] = "desk@example.org"
                smtp = smtplib.SMTP("localhost")
                smtp.send_message(msg)
                return JsonResponse({"ok": True})
        """,
    })
    assert brief(findings) == ["app/views.py:22:22 IDL006"]


def test_a_view_that_refuses_all_but_admins_first_is_staff_only(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": MODELS,
        "app/views.py": """
            from django.core.exceptions import PermissionDenied
            from django.http import HttpResponseForbidden, JsonResponse
            from .models import Member


            def admin_lookup(request, member_id):
                # only for the back office
                if not request.user.is_superuser:
                    raise PermissionDenied()
                m = Member.objects.get(pk=member_id)
                return JsonResponse({"phone": m.phone})


            def role_lookup(request, member_id):
                if request.user.role != "admin":
                    return HttpResponseForbidden()
                m = Member.objects.get(pk=member_id)
                return JsonResponse({"phone": m.phone})


            def owner_or_self(request, member_id):
                m = Member.objects.get(pk=member_id)
                if m.pk != request.user.pk and not request.user.is_owner(m):
                    raise PermissionDenied()
                return JsonResponse({"phone": m.phone})


            def logged_in_lookup(request, member_id):
                if not request.user.is_authenticated:
                    raise PermissionDenied()
                m = Member.objects.get(pk=member_id)
                return JsonResponse({"phone": m.phone})


            def late_check(request, member_id):
                m = Member.objects.get(pk=member_id)
                if m.nickname:
                    return JsonResponse({"phone": m.phone})
                if not request.user.is_staff:
                    raise PermissionDenied()
                return JsonResponse({"nick": m.nickname})
        """,
    })
    # a check of the login only (32) or one that comes after data was returned (38)
    # leaves the view open
    assert brief(findings) == ["app/views.py:32:35 IDL006", "app/views.py:38:39 IDL006"]
    assert findings[0].message == (
        "Personal field `Member.phone` of a record selected by a client-chosen serial "
        "reaches the client (JsonResponse body)")


def test_route_dependencies_and_owner_checks(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": MODELS,
        "app/api.py": """
            from fastapi import APIRouter, Depends, HTTPException
            from .models import Member

            router = APIRouter()


            class BoardAdminCheck:
                pass


            def allow(check):
                return check


            @router.get("/a/{member_id}", dependencies=[Depends(allow(BoardAdminCheck))])
            def for_admins(member_id: int):
                m = Member.objects.get(pk=member_id)
                return {"phone": m.phone}


            @router.get("/b/{member_id}")
            def for_owners(member_id: int, viewer=Depends(allow)):
                if not viewer.is_owner(member_id):
                    raise HTTPException(status_code=403)
                m = Member.objects.get(pk=member_id)
                return {"phone": m.phone}


            @router.get("/c/{member_id}")
            def for_anyone(member_id: int):
                m = Member.objects.get(pk=member_id)
                return {"phone": m.phone}
        """,
    })
    assert brief(findings) == ["app/api.py:32:22 IDL006"]
