from django.apps import AppConfig


class TpmConfig(AppConfig):
    name = "tpm"
    verbose_name = "Linchpin core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import stamp_sign_in

        user_logged_in.connect(stamp_sign_in, dispatch_uid="tpm-session-clocks")
