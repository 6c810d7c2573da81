from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "Takedown compliance"

    def ready(self) -> None:
        from anymail.signals import inbound

        from compliance.inbound_webhook import receive_inbound
        from compliance.roles import apply_roles

        inbound.connect(receive_inbound, dispatch_uid="compliance.inbound_mail")
        # The roles' permissions follow the models: applied after every migrate, never by a migration.
        post_migrate.connect(apply_roles, sender=self, dispatch_uid="compliance.roles")
