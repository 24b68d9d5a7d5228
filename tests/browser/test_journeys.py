"""The main journeys end to end in Chromium, checked the way a person checks them: by what the page says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from certprep.engagements import services
from tests.browser.helpers import PASSWORD, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_FILE = ROOT / "certprep" / "catalogue" / "data" / "iso20000-1-2018.yaml"


# What a Chinese reader sees in the header, written here (terms from docs/glossary.md), not read from the
# catalogue the server translates with: a lost or changed translation fails the journey.
ZH = {"Main": "主导航", "Engagements": "认证项目", "Catalogue": "标准目录", "Sign out": "退出登录", "Language": "语言"}


def requirement(ref_id: str) -> dict:
    """A requirement of the shipped ISO/IEC 20000-1:2018 file, by clause number."""

    def walk(nodes):
        for node in nodes:
            if node.get("ref_id") == ref_id:
                return node
            found = walk(node.get("children") or [])
            if found:
                return found
        return None

    return walk(yaml.safe_load(CATALOGUE_FILE.read_text())["requirements"])


def choose_language(page: Page, name: str, code: str, *, label: str = "Language") -> None:
    """Pick a language in the header; app.js submits the form on change, no button press needed (it hides
    the button once loaded, so wait for it: a change made before the script runs submits nothing)."""
    page.wait_for_load_state("load")
    page.get_by_label(label, exact=True).select_option(label=name)
    expect(page.locator("html")).to_have_attribute("lang", code)


def node(page: Page, ref_id: str):
    """A clause row of the catalogue tree, found by its clause number."""
    return page.locator("li.node").filter(has=page.locator("span.ref", has_text=re.compile(rf"^{re.escape(ref_id)}$")))


def test_sign_in_rejects_a_wrong_password_then_lets_the_owner_in_and_out(page, engagement):
    sign_in(page, "olivia", "not my password", expect_success=False)
    expect(page.get_by_role("alert")).to_contain_text("Wrong user name or password")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    shot(page, "01-sign-in-wrong-password")

    sign_in(page, "olivia")
    expect(page).to_have_url(re.compile(r"/engagements/$"))
    expect(page.get_by_role("heading", name="Your engagements")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Client A preparation"))).to_be_visible()
    expect(page.locator(".user-name")).to_have_text("olivia")
    shot(page, "01-engagement-list")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto("/engagements/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    shot(page, "01-signed-out")


def test_the_header_switches_to_simplified_chinese_and_back(page, owner, catalogue):
    sign_in(page, "olivia")
    page.get_by_role("link", name="Catalogue", exact=True).click()
    expect(page.get_by_role("heading", name="Standards catalogue")).to_be_visible()

    choose_language(page, "简体中文", "zh-hans")
    expect(page).to_have_url(re.compile(r"/catalogue/$"))  # the switch keeps the reader on the same page
    nav = page.get_by_role("navigation", name=ZH["Main"])
    expect(nav.get_by_role("link", name=ZH["Engagements"], exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name=ZH["Catalogue"], exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=ZH["Sign out"])).to_be_visible()
    expect(page.get_by_label(ZH["Language"], exact=True)).to_have_value("zh-hans")
    # The catalogue's own data carries Chinese names whatever the state of the interface translation.
    expect(page.get_by_role("link", name=re.compile("服务管理体系要求"))).to_be_visible()
    shot(page, "02-catalogue-in-chinese")

    choose_language(page, "English", "en", label=ZH["Language"])
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Engagements", exact=True)
    ).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Service management system requirements"))).to_be_visible()
    shot(page, "02-catalogue-back-in-english")


def test_an_owner_creates_an_engagement_and_fills_its_profile(page, owner):
    sign_in(page, "olivia")
    page.get_by_role("link", name="New engagement").click()
    page.get_by_label("Engagement name").fill("Harbourline ISO 20000 2027")
    page.get_by_label("Organization").fill("Harbourline IT Services Co., Ltd.")
    shot(page, "03-new-engagement-form")
    page.get_by_role("button", name="Create engagement").click()

    expect(page).to_have_url(re.compile(r"/e/\d+/profile/$"))
    expect(page.locator(".message.success")).to_contain_text("Engagement created")
    expect(page.get_by_role("heading", name="Organization profile")).to_be_visible()
    expect(page.locator(".topbar-engagement")).to_have_text("Harbourline ISO 20000 2027")

    page.get_by_label("Industry").select_option(label="IT services and outsourcing")
    page.get_by_label("People in SMS scope").fill("240")
    page.get_by_label("Sites").fill("Shanghai, Pudong office\nSuzhou data centre")
    page.get_by_label("Services in scope").fill("Managed hosting\nService desk\nNetwork operations")
    page.get_by_label("Scope: who").fill("the Managed Services division of Harbourline IT")
    page.get_by_label("Scope: which services").fill("managed hosting and service desk to external customers")
    page.get_by_label("Scope: where").fill("Shanghai and Suzhou")
    page.get_by_label("ITIL adoption").select_option(
        label="Partial: a few processes (e.g. incident, change) defined and followed"
    )
    page.get_by_label("ISO 9001 (quality management)").check()
    page.get_by_label("ISO/IEC 27001 (information security)").check()
    shot(page, "03-profile-filled-in")
    page.get_by_role("button", name="Save profile").click()

    expect(page.locator(".message.success")).to_have_text("Organization profile saved.")
    scope = (
        "The service management system of the Managed Services division of Harbourline IT supporting the provision "
        "of managed hosting and service desk to external customers, delivered from Shanghai and Suzhou."
    )
    preview = page.locator(".scope-preview")
    expect(preview.get_by_role("heading", name="Draft scope statement")).to_be_visible()
    expect(preview).to_contain_text(scope)
    expect(page.get_by_label("Sites")).to_have_value("Shanghai, Pudong office\nSuzhou data centre")
    expect(page.get_by_label("ISO/IEC 27001 (information security)")).to_be_checked()
    expect(page.get_by_text("version 2")).to_be_visible()
    shot(page, "03-profile-saved")

    page.get_by_role("navigation", name="Engagement").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Harbourline ISO 20000 2027")).to_be_visible()
    # 8 of the 9 profile facts are filled in (ITSM tools are not).
    expect(page.locator("progress")).to_have_attribute("value", "89")
    expect(page.get_by_text("89% complete")).to_be_visible()
    facts = page.locator(".facts")
    expect(facts).to_contain_text("240")
    expect(facts).to_contain_text("Partial: a few processes")
    expect(page.locator(".scope")).to_contain_text(scope)
    expect(page.locator(".timeline")).to_contain_text("olivia · created · Harbourline ISO 20000 2027")
    shot(page, "03-dashboard")

    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    creation = page.locator("tbody tr").filter(has_text="created · Harbourline ISO 20000 2027")
    expect(creation).to_have_count(1)
    expect(creation).to_contain_text("olivia")
    expect(creation).to_contain_text("Harbourline IT Services Co., Ltd.")
    shot(page, "03-audit-trail")


def test_the_dashboard_and_audit_trail_list_a_profile_change_made_on_the_page(page, engagement):
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/profile/")
    page.get_by_label("People in SMS scope").fill("240")
    page.get_by_label("Scope: where").fill("Shanghai and Suzhou")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".message.success")).to_have_text("Organization profile saved.")

    page.get_by_role("navigation", name="Engagement").get_by_role("link", name="Dashboard").click()
    expect(page.locator(".timeline")).to_contain_text("olivia · changed · Profile of Client A Ltd")

    page.get_by_role("link", name="Audit trail").click()
    profile_change = page.locator("tbody tr").filter(has_text="Profile of Client A Ltd")
    expect(profile_change).to_have_count(1)
    expect(profile_change).to_contain_text("olivia")
    expect(profile_change).to_contain_text("People in SMS scope")
    expect(profile_change.locator("ins", has_text="240")).to_be_visible()
    expect(profile_change).to_contain_text("Shanghai and Suzhou")
    shot(page, "03-audit-trail-profile-change")


def test_a_second_save_over_a_newer_change_is_refused_and_the_first_is_kept(context, engagement):
    first, second = context.new_page(), context.new_page()
    sign_in(first, "olivia")
    profile_url = f"/e/{engagement.pk}/profile/"
    first.goto(profile_url)
    second.goto(profile_url)

    first.get_by_label("People in SMS scope").fill("120")
    first.get_by_role("button", name="Save profile").click()
    expect(first.locator(".message.success")).to_have_text("Organization profile saved.")
    shot(first, "04-conflict-first-tab-saved")

    second.get_by_label("People in SMS scope").fill("999")
    second.get_by_label("Scope: who").fill("the second tab's division")
    second.get_by_role("button", name="Save profile").click()
    expect(second.get_by_role("alert")).to_contain_text("Someone else changed this")
    expect(second.get_by_role("alert")).to_contain_text("Your changes were not saved")
    expect(second.locator(".message.success")).to_have_count(0)
    shot(second, "04-conflict-second-tab-refused")

    first.reload()
    expect(first.get_by_label("People in SMS scope")).to_have_value("120")
    expect(first.get_by_label("Scope: who")).to_have_value("")
    expect(first.get_by_text("version 2")).to_be_visible()


def test_the_catalogue_can_be_browsed_searched_and_filtered(page, owner, catalogue):
    sign_in(page, "olivia")
    page.get_by_role("link", name="Catalogue", exact=True).click()
    page.get_by_role("link", name="ISO/IEC 20000-1:2018 Service management system requirements").click()
    expect(
        page.get_by_role("heading", name="ISO/IEC 20000-1:2018 Service management system requirements")
    ).to_be_visible()
    incident = node(page, "8.6.1")
    expect(incident).to_contain_text("Incident management")
    expect(incident.locator(".paraphrase")).to_have_text(requirement("8.6.1")["paraphrase"])
    expect(incident.get_by_role("link", name="Incident management")).to_be_visible()  # its process badge
    shot(page, "05-catalogue-framework")

    search = page.get_by_role("searchbox")
    search.fill("incident")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"\?q=incident"))
    expect(page.locator(".result-count")).to_contain_text(re.compile(r"\d+ matching requirements?"))
    expect(node(page, "8.6.1")).to_be_visible()
    expect(node(page, "4.1")).to_have_count(0)
    shot(page, "05-catalogue-search-incident")

    page.get_by_role("link", name="Clear").click()
    expect(page.get_by_role("searchbox")).to_have_value("")
    page.get_by_label("Process", exact=True).select_option(label="Incident management")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".process-info").get_by_role("heading", name="Incident management")).to_be_visible()
    expect(page.locator(".process-info")).to_contain_text("2005 clause 8.2")
    expect(node(page, "8.6.1")).to_be_visible()
    expect(node(page, "8.6.2")).to_be_visible()
    expect(node(page, "8.6.3")).to_have_count(0)
    expect(node(page, "8.5.1")).to_have_count(0)
    shot(page, "05-catalogue-process-incident")

    word = "变更"
    assert word in requirement("8.5.1")["translations"]["zh-hans"]["name"]
    page.get_by_role("link", name="Clear").click()
    page.get_by_role("searchbox").fill(word)
    page.get_by_role("button", name="Filter").click()
    expect(node(page, "8.5.1")).to_contain_text("Change management")
    expect(node(page, "8.5.1.1")).to_be_visible()
    expect(node(page, "8.6.1")).to_have_count(0)
    shot(page, "05-catalogue-search-chinese-word")

    choose_language(page, "简体中文", "zh-hans")
    expect(page.get_by_role("searchbox")).to_have_value(word)  # the switch keeps the search
    expect(node(page, "8.5.1")).to_contain_text("变更管理")
    shot(page, "05-catalogue-search-chinese-word-in-chinese")


def test_an_invited_newcomer_creates_an_account_and_joins(page, new_context, engagement):
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/members/")
    invite = page.locator("form").filter(has=page.get_by_role("heading", name="Invite a member"))
    invite.get_by_label("E-mail").fill("nina@client-a.example")
    invite.get_by_label("Role").select_option(label="Editor")
    invite.get_by_role("button", name="Invite").click()
    message = page.locator(".message.success")
    expect(message).to_contain_text("Invitation to nina@client-a.example")
    link = re.search(r"https?://\S+/invitations/\S+/", message.inner_text()).group(0)
    expect(page.locator("ul.plain")).to_contain_text("nina@client-a.example")
    shot(page, "06-invitation-sent")

    newcomer = new_context().new_page()
    newcomer.goto(link)
    expect(newcomer.get_by_role("heading", name="Join Client A preparation")).to_be_visible()
    expect(newcomer.get_by_text("olivia invited you as Editor.")).to_be_visible()
    expect(newcomer.get_by_text("Create your account for nina@client-a.example")).to_be_visible()
    newcomer.get_by_label("User name").fill("nina")
    newcomer.get_by_label("Password").fill(PASSWORD)
    shot(newcomer, "06-invitation-accept-form")
    newcomer.get_by_role("button", name="Accept invitation").click()

    expect(newcomer).to_have_url(re.compile(rf"/e/{engagement.pk}/$"))
    expect(newcomer.locator(".message.success")).to_have_text("Welcome to Client A preparation.")
    expect(newcomer.get_by_role("heading", name="Client A preparation")).to_be_visible()
    expect(newcomer.locator(".user-name")).to_have_text("nina")
    expect(newcomer.get_by_text("your role: Editor")).to_be_visible()
    shot(newcomer, "06-newcomer-dashboard")

    page.reload()
    nina = page.locator("tbody tr").filter(has_text="nina@client-a.example")
    expect(nina).to_contain_text("nina")
    expect(nina.get_by_label("Role")).to_have_value("editor")
    expect(page.get_by_text("No open invitations.")).to_be_visible()
    shot(page, "06-members-with-newcomer")


def test_an_outsider_who_types_the_url_sees_not_found(page, engagement, outsider):
    sign_in(page, "oscar")
    for path in ("", "profile/", "members/", "audit/"):
        response = page.goto(f"/e/{engagement.pk}/{path}")
        assert response.status == 404, path
        expect(page.get_by_role("heading", name="Not found")).to_be_visible()
        body = page.content()
        assert "Client A" not in body, path
        if not path:
            shot(page, "07-outsider-not-found")
    page.get_by_role("link", name="Back to your engagements").click()
    expect(page.get_by_role("link", name=re.compile("Client B preparation"))).to_be_visible()


def test_dashboard_and_profile_fit_a_tablet_without_sideways_scrolling(new_context, owner, engagement):
    services.profile_update(
        profile=engagement.profile,
        actor=owner,
        expected_version=1,
        data={
            "industry": "finance",
            "people_in_scope": 1250,
            "sites": ["Head office, 88 Century Avenue, Pudong New Area, Shanghai", "Disaster recovery centre, Suzhou"],
            "services_in_scope": ["Core banking hosting", "Service desk", "Payment gateway operations"],
            "scope_who": "the IT Operations and Service Management Centre of Client A Ltd",
            "scope_services": "core banking hosting, payment gateway operations and the service desk for all branches",
            "scope_where": "the Shanghai head office and the Suzhou disaster recovery centre",
            "itil_adoption": "broad",
            "existing_certifications": ["iso9001", "iso27001"],
        },
    )
    page = new_context(viewport={"width": 800, "height": 1100}).new_page()
    sign_in(page, "olivia")
    for name, path in (("dashboard", ""), ("profile", "profile/")):
        page.goto(f"/e/{engagement.pk}/{path}")
        expect(page.locator("main h1")).to_be_visible()
        shot(page, f"08-tablet-{name}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 800, f"{name} is {width}px wide at an 800px viewport"
