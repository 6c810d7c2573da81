from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "Takedown compliance"

    def ready(self) -> None:
        from anymail.signals import inbound

        from compliance.inbound_webhook import receive_inbound

        inbound.connect(receive_inbound, dispatch_uid="compliance.inbound_mail")
