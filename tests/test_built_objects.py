"""Objects a project class's constructor builds (dataclasses and the like) hold their own
fields: one object's serial is not what another object of the class holds; serials that
reach one sink of a shared helper through different calls are separate findings; the
signature part of a Django-signed value carries no serial."""

from __future__ import annotations

from pathlib import Path

from tests.test_real_code import brief, run

MODELS = """
    from django.contrib.auth.models import AbstractUser
    from django.db import models


    class User(AbstractUser):
        pass


    class Pass(models.Model):
        holder = models.ForeignKey(User, on_delete=models.CASCADE)
    """

TWO_NOTICES = {
    "app/models.py": MODELS,
    "app/notices.py": """
        from dataclasses import dataclass


        @dataclass
        class Notice:
            headline: str
            body: str

            @property
            def text(self):
                return self.body

            def payload(self):
                return {"headline": self.headline, "text": self.text}


        def make_notice(headline, body):
            return Notice(headline=headline, body=body)
        """,
    "app/views.py": """
        from django.http import JsonResponse

        from .models import User
        from .notices import Notice, make_notice


        def member_notice(request):
            user = User.objects.get(username=request.GET["name"])
            notice = make_notice("Welcome", str(user.pk))
            return JsonResponse(notice.payload())


        def plain_notice(request):
            notice = make_notice("Welcome", "glad to have you")
            return JsonResponse(notice.payload())


        def direct_notice(request):
            notice = Notice(headline="Hello", body="nothing to see")
            return JsonResponse({"t": notice.text})
        """,
}


def test_two_objects_of_one_dataclass_do_not_share_their_fields(tmp_path: Path) -> None:
    # Only the notice built with the user's serial reports it, through a helper that builds
    # it, a method and a property reading the field; the other two notices hold text.
    findings = run(tmp_path, TWO_NOTICES)
    assert brief(findings) == [
        "app/views.py:10:25 IDL001 Serial `User.pk` reaches the client (JsonResponse body) "
        "unprotected"]
    assert [(s.kind, s.location.path, s.location.line, s.message)
            for s in findings[0].trace] == [
        ("source", "app/views.py", 9, "serial primary key `User.pk` is read here"),
        ("call", "app/views.py", 9, "passed to make_notice() as `body`"),
        ("call", "app/notices.py", 18, "stored in Notice()"),
        ("call", "app/views.py", 10, "passed to Notice.payload() as `self.body`"),
        ("call", "app/notices.py", 14, "passed to Notice.text() as `self.body`"),
        ("sink", "app/views.py", 10, "reaches the client: JsonResponse body")]


ONE_FIELD_READ = {
    "app/models.py": MODELS,
    "app/views.py": """
        from dataclasses import dataclass

        from django.http import JsonResponse

        from .models import Pass


        @dataclass
        class Badge:
            caption: str
            pass_id: str

            def shown(self):
                return {"caption": self.caption}


        def badge(request):
            p = Pass.objects.get(pk=1)
            return JsonResponse(Badge(caption="Guest", pass_id=str(p.holder_id)).shown())


        def badge_ref(request):
            p = Pass.objects.get(pk=1)
            b = Badge(caption="Guest", pass_id=str(p.holder_id))
            return JsonResponse({"ref": b.pass_id})
        """,
}


def test_a_method_sees_only_the_fields_it_reads(tmp_path: Path) -> None:
    # `shown()` reads the caption, not the serial another field holds; reading that field
    # sends it.
    assert brief(run(tmp_path, ONE_FIELD_READ)) == [
        "app/views.py:25:33 IDL001 Serial `Pass.holder_id` reaches the client (JsonResponse "
        "body) unprotected"]


SHARED_MAILER = {
    "app/models.py": MODELS,
    "app/mail.py": """
        from dataclasses import dataclass

        from django.core.mail import send_mail


        @dataclass
        class Letter:
            to: str
            link: str

            def deliver(self):
                send_mail("Hello", self.link, "team@example.com", [self.to])
        """,
    "app/views.py": """
        from django.http import JsonResponse

        from .mail import Letter
        from .models import Pass, User


        def invite(request):
            user = User.objects.get(username=request.GET["name"])
            Letter(to=user.email, link=f"/welcome/{user.pk}").deliver()
            return JsonResponse({"ok": True})


        def pass_link(request):
            p = Pass.objects.get(pk=1)
            Letter(to="desk@example.com", link=f"/passes/{p.pk}").deliver()
            return JsonResponse({"ok": True})


        def hello(request):
            Letter(to="desk@example.com", link="/hello").deliver()
            return JsonResponse({"ok": True})
        """,
}


def test_serials_reaching_a_helper_sink_by_different_calls_are_not_composed(
        tmp_path: Path) -> None:
    # Each letter carries its own serial to the one send_mail of the helper: two findings,
    # none naming both serials as if they were composed into one identifier; the letter
    # without a serial adds none.
    findings = run(tmp_path, SHARED_MAILER)
    assert brief(findings) == [
        "app/mail.py:12:28 IDL008 Serial `Pass.pk` is placed in a URL (e-mail)",
        "app/mail.py:12:28 IDL008 Serial `User.pk` is placed in a URL (e-mail)"]
    assert [[(s.location.path, s.location.line, s.message) for s in f.trace[2:4]]
            for f in findings] == [
        [("app/views.py", 15, "stored in Letter()"),
         ("app/views.py", 15, "passed to Letter.deliver() as `self.link`")],
        [("app/views.py", 9, "stored in Letter()"),
         ("app/views.py", 9, "passed to Letter.deliver() as `self.link`")]]


SIGNED_LINK = {
    "app/models.py": MODELS,
    "app/views.py": """
        from django.core.signing import Signer
        from django.http import JsonResponse

        from .models import User


        def signature(request):
            user = User.objects.get(username=request.GET["name"])
            signer = Signer()
            signed = signer.sign(str(user.pk))
            return JsonResponse({"sig": signed.split(signer.sep)[-1]})


        def last_part(request):
            user = User.objects.get(username=request.GET["name"])
            signer = Signer()
            return JsonResponse({"sig": signer.sign(str(user.pk)).rsplit(":", 1)[1]})


        def whole(request):
            user = User.objects.get(username=request.GET["name"])
            signed = Signer().sign(str(user.pk))
            return JsonResponse({"token": signed, "head": signed.split(":")[0]})
        """,
}


def test_the_signature_part_of_a_signed_value_carries_no_serial(tmp_path: Path) -> None:
    # `signed.split(signer.sep)[-1]` and `.rsplit(":", 1)[1]` are the signature alone; the
    # whole signed value and its first part still carry the serial, readable.
    assert [f"{f.location.line} {f.code}" for f in run(tmp_path, SIGNED_LINK)] == [
        "22 IDL003"]


UNKNOWN_ORIGIN = {
    "app/models.py": MODELS,
    "app/notices.py": TWO_NOTICES["app/notices.py"],
    "app/views.py": """
        from django.http import JsonResponse

        from .models import User
        from .notices import Notice, make_notice


        def member_notice(request):
            user = User.objects.get(username=request.GET["name"])
            notice = make_notice("Welcome", str(user.pk))
            return JsonResponse({"ok": bool(notice)})


        def shown(request, notice: Notice):
            return JsonResponse({"t": notice.text})
        """,
}


def test_an_object_of_unknown_construction_holds_what_any_construction_gave(
        tmp_path: Path) -> None:
    # The notice a route is given was built where idlint cannot tell: its fields hold what
    # the class's constructions stored.
    assert brief(run(tmp_path, UNKNOWN_ORIGIN)) == [
        "app/views.py:14:31 IDL001 Serial `User.pk` reaches the client (JsonResponse body) "
        "unprotected"]
