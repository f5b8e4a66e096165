from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ipsworks.core"
    label = "core"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.core.signals import setting_changed
        from django.db.backends.signals import connection_created

        from ipsworks.core import page_cache
        from ipsworks.core.middleware import note_sign_in

        user_logged_in.connect(note_sign_in, dispatch_uid="ips-note-sign-in")
        # Every write through Django's connections moves the page cache's generations on.
        connection_created.connect(page_cache.install, dispatch_uid="ips-page-cache-writes")
        page_cache.install_everywhere()
        # A test that changes a setting may change how a page looks, with no write.
        setting_changed.connect(page_cache.setting_changed, dispatch_uid="ips-page-cache-settings")
