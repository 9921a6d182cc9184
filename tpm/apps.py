from django.apps import AppConfig


class TpmConfig(AppConfig):
    name = "tpm"
    verbose_name = "Linchpin core"
