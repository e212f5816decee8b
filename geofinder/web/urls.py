from django.urls import path

from geofinder.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("embed/", views.embed, name="embed"),
    path("integrer/", views.integrate, name="integrate"),
]
