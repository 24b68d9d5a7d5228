from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from certprep.engagements import services


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy hook
        if create:
            obj.save()


class EngagementFactory(factory.Factory):
    """Engagements are made through the service, as users make them (owner membership, profile, audit)."""

    class Meta:
        model = dict

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Engagement {n}")
    organization_name = factory.Sequence(lambda n: f"Organization {n} Ltd")

    @classmethod
    def _create(cls, model_class, owner, name, organization_name, **kwargs):
        return services.engagement_create(user=owner, name=name, organization_name=organization_name, **kwargs)
