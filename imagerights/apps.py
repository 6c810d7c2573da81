from django.apps import AppConfig


class ImageRightsConfig(AppConfig):
    name = "imagerights"
    verbose_name = "Image files and their rights"
