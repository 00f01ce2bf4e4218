"""
The admin of what content pages show without being published itself:
categories, tags, authors, images and redirects. Their saves and deletes go
through the publishing service, so that they are audited and every page
showing them is fresh on the next request.
"""

from articles import publishing


class ContentChangeAdminMixin:
    def save_model(self, request, obj, form, change):
        publishing.save_object(
            obj,
            user=request.user,
            write=lambda: super(ContentChangeAdminMixin, self).save_model(
                request, obj, form, change
            ),
        )

    def delete_model(self, request, obj):
        publishing.delete_objects(
            [obj],
            user=request.user,
            delete=lambda: super(ContentChangeAdminMixin, self).delete_model(
                request, obj
            ),
        )

    def delete_queryset(self, request, queryset):
        publishing.delete_objects(
            queryset,
            user=request.user,
            delete=lambda: super(ContentChangeAdminMixin, self).delete_queryset(
                request, queryset
            ),
        )
