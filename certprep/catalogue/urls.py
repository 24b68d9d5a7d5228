from django.urls import path

from certprep.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.framework_list, name="list"),
    path("import/", views.framework_import, name="import"),
    path("<int:framework_id>/", views.framework_detail, name="detail"),
    path("lenses/<int:lens_id>/", views.lens_detail, name="lens"),
]
