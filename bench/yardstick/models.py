from django.db import models


class Page(models.Model):
    html = models.TextField()

    def __str__(self):
        return f"Page {self.pk}"
