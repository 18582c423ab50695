from django.contrib import admin
from django.utils.html import format_html

from .models import Member


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("nickname", "ref")

    def ref(self, obj):
        return format_html("<code>M-{}</code>", obj.id)
