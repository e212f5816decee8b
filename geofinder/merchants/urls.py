from django.urls import path

from geofinder.merchants.views import accounts, dashboard, hours, moderation, public

app_name = "merchants"
urlpatterns = [
    path("compte/inscription/", accounts.signup, name="signup"),
    path("compte/inscription/envoyee/", accounts.signup_sent, name="signup_sent"),
    path("compte/activer/<str:uidb64>/<str:token>/", accounts.activate, name="activate"),
    path("compte/connexion/", accounts.LoginView.as_view(), name="login"),
    path("compte/deconnexion/", accounts.logout, name="logout"),
    path("compte/mot-de-passe/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("compte/mot-de-passe/envoye/", accounts.password_reset_done, name="password_reset_done"),
    path("compte/mot-de-passe/<str:uidb64>/<str:token>/", accounts.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("compte/mot-de-passe/change/", accounts.password_reset_complete, name="password_reset_complete"),
    path("ajouter-mon-commerce/", public.proposal_edit, name="propose"),
    path("ajouter-mon-commerce/<int:proposal_id>/", public.proposal_edit, name="proposal"),
    path("commerce/<int:place_id>/mettre-a-jour/", public.claim, name="claim"),
    path("revendication/<int:claim_id>/<str:token>/", public.claim_link, name="claim_confirm"),
    path("espace/", dashboard.dashboard, name="dashboard"),
    path("espace/commerce/<int:place_id>/", dashboard.place_edit, name="place"),
    path("espace/commerce/<int:place_id>/fermetures/", dashboard.closure_edit, name="closures"),
    path("espace/commerce/<int:place_id>/annonces/", dashboard.announcement_edit, name="announcements"),
    path("espace/horaires/apercu/", hours.hours_preview, name="hours_preview"),
    path("moderation/", moderation.queue, name="moderation"),
    path("moderation/proposition/<int:proposal_id>/", moderation.proposal, name="moderation_proposal"),
    path("moderation/revendication/<int:claim_id>/", moderation.claim, name="moderation_claim"),
    path("moderation/commerce/<int:place_id>/historique/", moderation.history, name="moderation_history"),
    path("moderation/commerce/<int:place_id>/separer/", moderation.split_source, name="moderation_split"),
]
