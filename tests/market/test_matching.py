"""Matching in the app: records built from the models, ranking through the workflow's tasks,
stored matches, feedback, confidentiality."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from caunoi.market import matching, services
from caunoi.market.models import Match, Status

# Transactional: the recompute is queued when the write commits, as in production (the
# immediate task backend then runs it at once).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def offers(provider: Any, make_offer: Any, publish: Any, taxonomy: Any) -> dict[str, Any]:
    """Two published offers (Korea, Japan) on solar drying, one on chips, one draft."""
    c = taxonomy["countries"]
    dryer_kr = make_offer(
        provider,
        title_en="Solar dryer for coffee beans",
        summary_en="A solar-powered dryer for coffee and other farm produce.",
        country=c["KR"],
        trl=7,
        cooperation=["licence"],
    )
    dryer_jp = make_offer(
        provider,
        title_en="Solar dryer for coffee beans and cocoa",
        summary_en="A solar-powered dryer for coffee and other farm produce.",
        country=c["JP"],
        trl=7,
        cooperation=["licence"],
    )
    chip = make_offer(provider, title_en="Low-power edge AI chip", summary_en="A chip.", trl=3)
    draft = make_offer(provider, title_en="Solar dryer for coffee, draft", summary_en="Coffee.")
    for o in (dryer_kr, dryer_jp, chip):
        publish(o)
    return {"kr": dryer_kr, "jp": dryer_jp, "chip": chip, "draft": draft}


def _request(enterprise: Any, make_request: Any, publish: Any, **data: Any) -> Any:
    values = {
        "title_en": "Solar dryer for coffee",
        "need": "We need a solar dryer for coffee beans at our farm.",
        "preferred_countries": ["KR"],
        "min_trl": 5,
    }
    values.update(data)
    return publish(make_request(enterprise, **values))


def test_records_carry_the_models_fields(
    enterprise: Any, make_request: Any, offers: dict[str, Any], taxonomy: Any
) -> None:
    r = make_request(
        enterprise,
        cooperation=["technical", "licence"],
        min_trl=4,
        staff_count=3,
        equipment="Drying yard",
        budget_max=1000,
        preferred_countries=["KR"],
        confidentiality="anonymous",
    )
    r.fields.set([taxonomy["fields"]["physics"]])
    rec = matching.request_record(r)
    assert rec.id == f"request:{r.pk}"
    assert rec.fields == ("1.3",)
    assert rec.cooperation == ("technical_cooperation", "licence")
    assert rec.min_trl == 4 and rec.capacity.staff == 3 and rec.capacity.equipment is True
    assert rec.budget.high == 1000.0
    assert rec.confidentiality == "anonymous"
    assert enterprise.get_username() in rec.identity
    offer = matching.target_record("offer", offers["kr"])
    assert offer.country == "KR" and offer.trl == 7 and offer.fields == ("P02",)
    assert matching.field_tree().parent("1.3") == "1"
    assert matching.term_bridge()  # the field names give concepts


def test_publishing_a_request_stores_its_matches(
    enterprise: Any, make_request: Any, publish: Any, offers: dict[str, Any]
) -> None:
    r = _request(enterprise, make_request, publish)
    rows = list(Match.objects.filter(request=r, offer__isnull=False).order_by("-score"))
    got = [m.offer_id for m in rows]
    assert offers["draft"].pk not in got  # only published records take part
    assert offers["chip"].pk not in got  # below the minimum TRL: excluded
    # Korea is preferred: it ranks above the Japanese offer of similar relevance.
    assert got[:2] == [offers["kr"].pk, offers["jp"].pk]
    top = rows[0].explanation
    assert top["components"]["score"] == pytest.approx(rows[0].score)
    keys = {f["key"] for f in top["fit"]}
    assert {"country.preferred", "trl.ok"} <= keys
    assert any(t["term"] for t in top["terms"])
    jp_keys = {f["key"] for f in rows[1].explanation["fit"]}
    assert "country.other" in jp_keys


def test_stored_vectors_are_reused(offers: dict[str, Any], monkeypatch: Any) -> None:
    from caunoi.search import dense
    from caunoi.search.models import SearchDocument

    # Only the Korean offer's document keeps a vector (a made-up one, to recognise it).
    SearchDocument.objects.filter(kind="offers").update(embedding=None, embedding_engine="")
    doc = SearchDocument.objects.get(kind="offers", object_id=offers["kr"].pk)
    vec = np.zeros(dense.DIM, dtype=np.float32)
    vec[0] = 1.0
    doc.embedding = vec.tobytes()
    doc.embedding_engine = dense.engine_ident()
    doc.save()
    embedded: list[str] = []
    real = dense.embed_passages

    def spy(texts: Any) -> Any:
        embedded.extend(texts)
        return real(texts)

    monkeypatch.setattr(dense, "embed_passages", spy)
    recs = {r.id: r for r in matching.candidates("offer")}
    kr = recs[f"offer:{offers['kr'].pk}"]
    assert kr.vector is not None and float(kr.vector[0]) == 1.0
    assert len(embedded) == 2  # the other two published offers, not the one with a vector
    # past the cap, records without a stored vector rank without one
    monkeypatch.setattr(matching, "EMBED_MAX", 1)
    embedded.clear()
    capped = matching.candidates("offer")
    assert len(embedded) == 1 and sum(r.vector is None for r in capped) == 1
    # another engine's vector is not reused
    doc.embedding_engine = "someone-else"
    doc.save()
    assert offers["kr"].pk not in matching.stored_vectors("offers", [offers["kr"].pk])


def test_withdrawing_removes_matches_and_feedback_survives_recompute(
    enterprise: Any, make_request: Any, publish: Any, offers: dict[str, Any]
) -> None:
    r = _request(enterprise, make_request, publish)
    first = Match.objects.get(request=r, offer=offers["kr"])
    matching.set_feedback(user=enterprise, match=first, feedback="not_relevant")
    before = first.score
    assert matching.recompute_request(r) > 0
    again = Match.objects.get(request=r, offer=offers["kr"])
    assert again.feedback == "not_relevant"
    assert again.score == pytest.approx(before * 0.3, rel=1e-4)  # fed to the ranking
    assert "feedback.pair" in {f["key"] for f in again.explanation["fit"]}
    # withdrawing the offer recomputes every request: its match is gone
    services.transition(user=offers["kr"].owner_user, record=offers["kr"], to="withdrawn")
    assert not Match.objects.filter(offer=offers["kr"]).exists()
    services.transition(user=enterprise, record=r, to="withdrawn")
    assert not Match.objects.filter(request=r).exists()


def test_each_sides_feedback_is_in_the_audit_trail_once_per_change(
    enterprise: Any, make_request: Any, publish: Any, offers: dict[str, Any]
) -> None:
    from caunoi.accounts.models import AuditEvent

    r = _request(enterprise, make_request, publish)
    m = Match.objects.get(request=r, offer=offers["kr"])
    provider = offers["kr"].owner_user

    def events() -> list[tuple[str, dict[str, Any]]]:
        rows = AuditEvent.objects.filter(model="market.match", object_id=str(m.pk))
        return [(e.actor_name, e.changes) for e in rows.order_by("pk")]

    matching.set_feedback(user=enterprise, match=m, feedback="too_expensive")
    matching.set_feedback(user=enterprise, match=m, feedback="too_expensive")  # no change
    matching.set_provider_feedback(user=provider, match=m, feedback="interested")
    matching.set_feedback(user=enterprise, match=m, feedback="")
    assert events() == [
        (enterprise.username, {"feedback": ["", "too_expensive"]}),
        (provider.username, {"provider_feedback": ["", "interested"]}),
        (enterprise.username, {"feedback": ["too_expensive", ""]}),
    ]


def test_an_offer_published_later_reaches_existing_requests(
    enterprise: Any, make_request: Any, publish: Any, offers: dict[str, Any]
) -> None:
    r = _request(enterprise, make_request, publish)
    assert not Match.objects.filter(request=r, offer=offers["draft"]).exists()
    publish(offers["draft"])
    assert Match.objects.filter(request=r, offer=offers["draft"]).exists()


def test_audiences_of_matches(
    enterprise: Any,
    make_request: Any,
    publish: Any,
    offers: dict[str, Any],
    provider: Any,
    owner: Any,
    make_outside: Any,
) -> None:
    secret = _request(enterprise, make_request, publish, confidentiality="officers")
    anon = _request(enterprise, make_request, publish, confidentiality="anonymous")
    assert secret.status == Status.PUBLISHED
    stranger = make_outside("enterprise", "stranger")
    assert matching.request_matches(stranger, secret) is None
    assert matching.request_matches(provider, anon) is None
    mine = matching.request_matches(enterprise, secret)
    assert mine is not None and mine.exists()
    staff_view = matching.target_matches(owner, offers["kr"])
    assert staff_view is not None
    assert {m.request_id for m in staff_view} == {secret.pk, anon.pk}
    provider_view = matching.target_matches(provider, offers["kr"])
    assert provider_view is not None
    assert {m.request_id for m in provider_view} == {anon.pk}  # never the officers-only one
    assert matching.target_matches(stranger, offers["kr"]) is None


def test_anonymous_requester_never_in_explanations(
    make_org: Any,
    make_outside: Any,
    admin: Any,
    make_request: Any,
    publish: Any,
    provider: Any,
    make_offer: Any,
) -> None:
    from caunoi.registry.affiliations import affiliation_decide, affiliation_request

    org = make_org(name_vi="Công ty Minh Phú", is_public=True)
    user = make_outside("enterprise", "minhphu")
    claim = affiliation_request(user=user, organization=org)
    affiliation_decide(user=admin, affiliation=claim, approve=True)
    publish(
        make_offer(
            provider,
            title_en="Minh Phú shrimp processing line",
            summary_en="Shrimp peeling machines as used by Minh Phú.",
        )
    )
    r = make_request(
        user,
        title_en="Shrimp peeling for Minh Phú",
        need="Minh Phú needs shrimp peeling machines.",
        owner_organization=org,
        confidentiality="anonymous",
    )
    publish(r)
    rows = list(Match.objects.filter(request=r))
    assert rows
    for m in rows:
        text = str(m.explanation).lower()
        assert "minh" not in text and "phu" not in text and "phú" not in text


def test_experts_and_intermediaries_are_matched_too(
    enterprise: Any, make_request: Any, publish: Any, offers: dict[str, Any], make_outside: Any
) -> None:
    from caunoi.market.models import Expert, Intermediary

    writer = make_outside("expert", "drying-expert")
    expert = services.record_save(
        user=writer,
        instance=Expert(),
        data={"name": "Dr. Tran", "profile": "Solar drying of coffee beans and farm produce."},
        m2m={"fields": []},
    )
    broker = services.record_save(
        user=writer,
        instance=Intermediary(),
        data={"name": "Agri broker", "services": "Licensing of solar dryer technology for coffee."},
        m2m={"fields": []},
    )
    publish(expert)
    publish(broker)
    r = _request(enterprise, make_request, publish)
    assert Match.objects.filter(request=r, expert=expert).exists()
    assert Match.objects.filter(request=r, intermediary=broker).exists()
    sections = matching.request_sections(enterprise, r)
    assert sections is not None
    by_kind = {s["kind"]: [i["target"] for i in s["items"]] for s in sections}
    assert by_kind["expert"] == [expert] and by_kind["intermediary"] == [broker]
    assert matching.target_section(writer, expert) is not None


def test_matches_are_recomputed_once_a_bulk_of_embeddings_is_stored(
    enterprise: Any,
    make_request: Any,
    publish: Any,
    offers: dict[str, Any],
    monkeypatch: Any,
    settings: Any,
) -> None:
    """After an import the recompute ranks candidates past ``EMBED_MAX`` without their dense
    part; when the search service has stored their embeddings, the market queues one full
    recompute, and the stored matches then carry the dense part."""
    from caunoi.jobs.models import Job
    from caunoi.market.tasks import match_all
    from caunoi.search import tasks as search_tasks
    from caunoi.search.models import SearchDocument

    settings.CAUNOI_MATCH_MIN_SCORE = 0.0  # keep the lexical-only match stored, to compare
    r = _request(enterprise, make_request, publish)
    SearchDocument.objects.filter(kind="offers").update(embedding=None, embedding_engine="")
    monkeypatch.setattr(matching, "EMBED_MAX", 1)  # a recompute embeds one, the import 2+
    assert matching.recompute_all() > 0
    dense_parts = [m.explanation["components"]["dense"] for m in Match.objects.filter(request=r)]
    assert sorted(dense_parts)[0] == 0.0  # the second offer: no vector, no dense part
    before = Job.objects.filter(kind=match_all.module_path).count()

    # a few embeddings (one publication), or of kinds the market does not match: nothing
    search_tasks.embeddings_stored.send(sender=SearchDocument, kinds={"offers": 1})
    search_tasks.embeddings_stored.send(sender=SearchDocument, kinds={"partners": 500})
    assert Job.objects.filter(kind=match_all.module_path).count() == before

    job = search_tasks.embed_missing_enqueue()  # the search service's own background task
    assert job is not None
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    assert job.result["embedded"] >= 3
    runs = Job.objects.filter(kind=match_all.module_path).order_by("pk")
    assert runs.count() == before + 1  # exactly one full recompute
    assert runs.last().state == Job.State.SUCCEEDED
    rows = Match.objects.filter(request=r)
    assert len(rows) == len(dense_parts)
    assert all(m.explanation["components"]["dense"] > 0.5 for m in rows)  # both near-identical


def test_weak_matches_are_neither_stored_nor_shown(
    enterprise: Any,
    make_request: Any,
    make_offer: Any,
    provider: Any,
    publish: Any,
    offers: dict[str, Any],
    owner: Any,
    settings: Any,
) -> None:
    """The absolute floor keeps weak matches out of the stored rows; the relative floor
    hides a stored match far below the best of its kind; feedback keeps a match shown."""
    settings.CAUNOI_MATCH_MIN_SCORE = 0.0
    settings.CAUNOI_MATCH_MIN_RELATIVE = 0.0
    speech = publish(
        make_offer(
            provider,
            title_en="Vietnamese speech recognition model for call centres",
            summary_en="Transcribes customer calls in Vietnamese dialects.",
            trl=8,
        )
    )
    r = _request(enterprise, make_request, publish)
    matching.recompute_all()
    scores = {m.offer_id: m.score for m in Match.objects.filter(request=r, offer__isnull=False)}
    weak, strong = scores[speech.pk], scores[offers["jp"].pk]
    best = scores[offers["kr"].pk]
    assert 0 < weak < strong <= best

    def shown() -> set[int]:
        rows = matching.request_matches(enterprise, r)
        assert rows is not None
        return {m.offer_id for m in rows if m.offer_id}

    assert speech.pk in shown()
    # the absolute floor: not stored (by a full recompute and by an update of the offer)
    settings.CAUNOI_MATCH_MIN_SCORE = (weak + strong) / 2
    matching.recompute_all()
    assert not Match.objects.filter(request=r, offer=speech).exists()
    assert Match.objects.filter(request=r, offer=offers["jp"]).exists()
    matching.update_target("offer", speech.pk)
    assert not Match.objects.filter(request=r, offer=speech).exists()
    # the relative floor: stored, not shown (to the requester, on the offer's page either)
    settings.CAUNOI_MATCH_MIN_SCORE = 0.0
    settings.CAUNOI_MATCH_MIN_RELATIVE = (weak / best + strong / best) / 2
    matching.recompute_all()
    assert Match.objects.filter(request=r, offer=speech).exists()
    assert shown() == {offers["kr"].pk, offers["jp"].pk}
    on_offer = matching.target_matches(owner, speech)
    assert on_offer is not None and not on_offer.exists()
    assert matching.target_matches(owner, offers["jp"]).filter(request=r).exists()  # type: ignore[union-attr]
    # feedback given on a match keeps it shown
    row = Match.objects.get(request=r, offer=speech)
    matching.set_feedback(user=enterprise, match=row, feedback="not_relevant")
    assert speech.pk in shown()
    # the best is taken among published targets: a withdrawn offer's stored score (until
    # the next recompute removes it) does not hide the published ones
    settings.CAUNOI_MATCH_MIN_RELATIVE = (strong / best + 1) / 2
    assert offers["jp"].pk not in shown()
    type(offers["kr"]).objects.filter(pk=offers["kr"].pk).update(status="withdrawn")
    assert Match.objects.filter(request=r, offer=offers["kr"]).exists()
    assert offers["jp"].pk in shown()
