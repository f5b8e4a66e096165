from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ipsworks.core"
    label = "core"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from ipsworks.core.middleware import note_sign_in

        user_logged_in.connect(note_sign_in, dispatch_uid="ips-note-sign-in")
